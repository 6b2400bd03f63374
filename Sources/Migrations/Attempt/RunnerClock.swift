/// The runner's view of its injected clock: instants are durations since the runner was created.
///
/// `any Clock<Duration>` cannot hand out instants a caller can store without knowing their type, so the
/// clock is opened once here and every instant becomes "time since the origin". Tests inject a manual
/// clock to drive renewal, expiry and timeouts without real seconds; production uses `ContinuousClock`.
struct RunnerClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    init(_ clock: any Clock<Duration>) {
        self = Self.opening(clock)
    }

    private init(
        elapsed: @escaping @Sendable () -> Duration,
        sleeper: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.elapsed = elapsed
        self.sleeper = sleeper
    }

    private static func opening<C: Clock<Duration>>(_ clock: C) -> RunnerClock {
        let origin = clock.now
        return RunnerClock(
            elapsed: { origin.duration(to: clock.now) },
            sleeper: { instant in try await clock.sleep(until: origin.advanced(by: instant), tolerance: nil) }
        )
    }

    /// The current instant.
    var now: Duration { elapsed() }

    /// Sleeps until `instant`; throws `CancellationError` when the task is cancelled first.
    func sleep(until instant: Duration) async throws {
        try await sleeper(instant)
    }
}
