import Synchronization

/// A clock that moves only when a test advances it: inject it into `MigrationRunner.Configuration.clock`
/// to drive renewals, lease expiry and timeouts without waiting real seconds.
///
/// ```swift
/// let clock = ManualClock()
/// let runner = MigrationRunner(
///     registry: registry, backend: InMemoryMigrationBackend(), logger: logger, configuration: .init(clock: clock))
/// async let result = runner.run("slow", context: app, options: .init(timeout: .seconds(30)))
/// // … once the step runs:
/// clock.advance(by: .seconds(30))  // the timeout fires now
/// ```
///
/// A sleep whose deadline has been reached returns; a cancelled sleep throws `CancellationError` at once.
public final class ManualClock: Clock, Sendable {
    /// An instant of a ``ManualClock``: the time advanced since the clock was made.
    public struct Instant: InstantProtocol, Sendable {
        /// The time since the clock's origin.
        public var offset: Duration

        /// Creates an instant `offset` after the clock's origin.
        ///
        /// - Parameter offset: The time since the origin.
        public init(offset: Duration) {
            self.offset = offset
        }

        /// The instant `duration` later.
        public func advanced(by duration: Duration) -> Instant {
            Instant(offset: offset + duration)
        }

        /// The duration from this instant to `other`.
        public func duration(to other: Instant) -> Duration {
            other.offset - offset
        }

        /// Orders instants by their offset.
        public static func < (left: Instant, right: Instant) -> Bool {
            left.offset < right.offset
        }
    }

    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [UInt64: Sleeper] = [:]
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Creates a clock at offset zero.
    public init() {}

    /// The current instant.
    public var now: Instant {
        state.withLock { $0.now }
    }

    /// The smallest step the clock takes: none, it moves only when advanced.
    public var minimumResolution: Duration { .zero }

    /// How many tasks are sleeping on the clock: poll it to know that a task reached its sleep.
    public var sleeperCount: Int {
        state.withLock { $0.sleepers.count }
    }

    /// Suspends until the clock has been advanced to `deadline`.
    ///
    /// - Parameters:
    ///   - deadline: When to wake.
    ///   - tolerance: Ignored.
    /// - Throws: `CancellationError` when the task is cancelled first.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { state in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return sleeper }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward and wakes every sleeper whose deadline has been reached.
    ///
    /// - Parameter duration: How far to move.
    public func advance(by duration: Duration) {
        let woken: [Sleeper] = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }
}
