/// Polls `condition` every 5 ms until it holds, for at most `limit`.
///
/// - Throws: ``DrillTimeout`` when it never held: a drill's wait is always bounded.
func waitUntil(_ what: String, limit: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw DrillTimeout(what: what, limit: limit) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A bounded wait that ran out.
struct DrillTimeout: Error, CustomStringConvertible {
    let what: String
    let limit: Duration
    var description: String { "gave up after \(limit) waiting until \(what)" }
}
