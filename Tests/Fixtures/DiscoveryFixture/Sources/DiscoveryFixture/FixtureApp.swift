/// The fixture application's context: what its migrations receive.
struct FixtureApp: Sendable {
    var tenant = "fixture"
}
