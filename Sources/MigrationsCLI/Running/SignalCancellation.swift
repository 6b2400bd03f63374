import Foundation
import UnixSignals

/// Turns the first `SIGINT` or `SIGTERM` into task cancellation, so a run stops cleanly: a waiting run
/// gives up without recording anything, a running migration is cancelled, recorded as cancelled and its
/// lease released. A second signal exits at once with 128 + the signal's number.
///
/// Signals come from service-lifecycle's `UnixSignalsSequence`, not from hand-installed handlers.
enum SignalCancellation {
    /// Runs `body`, cancelling it on the first `SIGINT` or `SIGTERM`.
    ///
    /// - Parameters:
    ///   - onSignal: Called with a note to print when the first signal arrives.
    ///   - body: The work to run.
    static func run<Value: Sendable>(
        onSignal: @escaping @Sendable (String) -> Void,
        _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let (stop, stopping) = AsyncStream<Void>.makeStream()
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask {
                try await withThrowingTaskGroup(of: Value?.self) { work in
                    work.addTask { try await body() }
                    work.addTask {
                        for await _ in stop { return nil }
                        return nil
                    }
                    while let next = try await work.next() {
                        work.cancelAll()
                        if let value = next { return value }
                    }
                    return nil
                }
            }
            group.addTask {
                var received = 0
                for await signal in signals {
                    received += 1
                    if received > 1 { exit(128 + signal.rawValue) }
                    onSignal("received \(signal); stopping the run (send it again to exit at once)")
                    stopping.yield()
                }
                return nil
            }
            while let next = try await group.next() {
                if let value = next {
                    group.cancelAll()
                    return value
                }
                group.cancelAll()
            }
            throw CancellationError()
        }
    }
}
