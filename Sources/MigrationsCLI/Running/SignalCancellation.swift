import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the first `SIGINT` or `SIGTERM` into task cancellation, so a running migration stops cleanly:
/// the runner records it as cancelled and releases its lease. A second signal exits at once.
enum SignalCancellation {
    /// Counts the signals received.
    private final class Counter: Sendable {
        let count = Mutex(0)

        func increment() -> Int {
            count.withLock { count in
                count += 1
                return count
            }
        }
    }

    /// Runs `body`, cancelling it on the first `SIGINT` or `SIGTERM`.
    ///
    /// - Parameters:
    ///   - onSignal: Called with a note to print when the first signal arrives.
    ///   - body: The work to run.
    static func run<Value: Sendable>(
        onSignal: @escaping @Sendable (String) -> Void,
        _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        let counter = Counter()
        let queue = DispatchQueue(label: "migrations.signals")
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if counter.increment() > 1 { exit(128 + number) }
                continuation.yield(number)
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
            continuation.finish()
        }
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                for await number in signals {
                    onSignal(
                        "received signal \(number); stopping the running migration (send it again to exit at once)")
                    return nil
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
