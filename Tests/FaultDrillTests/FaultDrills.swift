import Testing

/// The fault drills of issue 6. Nested suites run one after another: several drills start processes,
/// pause or restart the server, or measure time, and must not compete for the two cores.
@Suite("Fault drills", .serialized, .timeLimit(.minutes(5)))
struct FaultDrills {}
