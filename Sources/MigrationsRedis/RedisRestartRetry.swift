import Foundation
import Migrations
import RedisClient

/// Rides out a Redis restart for commands that are safe to send again: retries them with a growing pause
/// (50 ms, doubling to 1 s) while the server is loading its data set or refusing connections, for at most
/// a bounded window (the store's ``RedisStateStore/recordRetryWindow``, 10 seconds by default).
///
/// A production Redis with a large append-only file answers `LOADING` for seconds after each restart, and
/// refuses connections while it starts: neither means the data is wrong, so neither may become a verdict
/// about a migration. After the window the last error is thrown, naming the server's state.
struct RedisRestartRetry: Sendable {
    /// How long to keep retrying.
    let window: Duration

    /// Which errors are retried.
    enum Scope: Sendable {
        /// Reads: a loading server and every transport failure except a timeout (a timed-out read has
        /// already waited its full command timeout). Reads change nothing, so sending one again is safe.
        case read
        /// Commands that may change data: only a loading server and a refused connection, the two answers
        /// that prove the command did not run.
        case notRun
    }

    /// Runs `body`, retrying as `scope` allows. Cancellation stops the retries at once.
    func run<Value>(_ scope: Scope, _ body: () async throws -> Value) async throws -> Value {
        let deadline = ContinuousClock.now + window
        var pause = Duration.milliseconds(50)
        while true {
            do {
                return try await body()
            } catch let error as RedisError where Self.retries(error, scope) && ContinuousClock.now + pause < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(1))
            }
        }
    }

    private static func retries(_ error: RedisError, _ scope: Scope) -> Bool {
        switch scope {
        case .read:
            error.code == .loading || (error.isTransport && error.code != .timedOut)
        case .notRun:
            error.code == .loading || error.code == .connectionRefused
        }
    }
}
