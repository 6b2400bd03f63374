/// Polls `condition` until it holds, for at most `limit` of real time: the one way tests here wait for
/// something to happen, never an unbounded loop and never a fixed sleep.
///
/// ```swift
/// try await waitUntil("the lease is taken") {
///     try await server.command("EXISTS", "migration:a:lease").int == 1
/// }
/// ```
///
/// - Parameters:
///   - what: What is awaited, for the error.
///   - limit: How long to wait at most; 20 seconds by default.
///   - interval: How long to sleep between polls; 5 ms by default.
///   - condition: The condition.
/// - Throws: ``WaitTimeout`` when the condition never held; what `condition` throws.
public func waitUntil(
    _ what: String,
    limit: Duration = .seconds(20),
    interval: Duration = .milliseconds(5),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimeout(what: what, limit: limit) }
        try await Task.sleep(for: interval)
    }
}

/// A bounded wait that ran out.
public struct WaitTimeout: Error, CustomStringConvertible {
    /// What was awaited.
    public let what: String
    /// How long it was awaited.
    public let limit: Duration

    /// Creates the error.
    ///
    /// - Parameters:
    ///   - what: What was awaited.
    ///   - limit: How long it was awaited.
    public init(what: String, limit: Duration) {
        self.what = what
        self.limit = limit
    }

    /// `gave up after 20 seconds waiting until the lease is taken`.
    public var description: String { "gave up after \(limit) waiting until \(what)" }
}
