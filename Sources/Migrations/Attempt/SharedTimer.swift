import Synchronization

/// One timer for every attempt of a runner: the attempts' supervisors sleep on it instead of each arming a
/// clock timer of its own.
///
/// A supervisor sleeps until its next renewal, progress tick or timeout, and a short attempt ends long
/// before any of them. Arming and cancelling a `Task.sleep` for every attempt cost a third of a no-op
/// migration's time in the engine (a `dispatch_after`, and a wake-up of libdispatch's timer thread). Here
/// one task sleeps until the earliest deadline of all sleepers, and is re-armed only when a sleeper needs
/// an earlier one: a run of short attempts, whose deadlines only move later, arms it about once every
/// progress interval.
///
/// It sleeps on the runner's clock, so a test's manual clock drives it as it drives every other wait.
final class SharedTimer: Sendable {
    private let clock: RunnerClock
    private let state = Mutex(State())

    private struct State {
        var sleepers: [UInt64: Sleeper] = [:]
        var nextID: UInt64 = 0
        /// The task that sleeps until `armedUntil`, and its generation: a ticker that was replaced stops.
        var ticker: Task<Void, Never>?
        var generation: UInt64 = 0
        var armedUntil: Duration?
    }

    private enum Sleeper {
        /// Registered, not yet waiting (its continuation is being made).
        case registered
        /// Cancelled before it waited: it throws as soon as it would wait.
        case cancelled
        case waiting(until: Duration, CheckedContinuation<Void, any Error>)

        var deadline: Duration? {
            if case .waiting(let deadline, _) = self { return deadline }
            return nil
        }
    }

    /// - Parameter clock: The runner's clock.
    init(clock: RunnerClock) {
        self.clock = clock
    }

    /// Sleeps until `deadline` on the runner's clock; throws `CancellationError` when the task is cancelled
    /// first.
    ///
    /// - Parameter deadline: The instant to wake at.
    func sleep(until deadline: Duration) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            state.sleepers[state.nextID] = .registered
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                wait(id, until: deadline, continuation)
            }
        } onCancel: {
            let waiting: CheckedContinuation<Void, any Error>? = state.withLock { state in
                switch state.sleepers[id] {
                case .registered?:
                    state.sleepers[id] = .cancelled
                    return nil
                case .waiting(_, let continuation)?:
                    state.sleepers[id] = nil
                    return continuation
                case .cancelled?, nil:
                    return nil
                }
            }
            waiting?.resume(throwing: CancellationError())
        }
    }

    private func wait(_ id: UInt64, until deadline: Duration, _ continuation: CheckedContinuation<Void, any Error>) {
        let now = clock.now
        let outcome: Result<Void, any Error>? = state.withLock { state in
            if case .cancelled? = state.sleepers[id] {
                state.sleepers[id] = nil
                return .failure(CancellationError())
            }
            guard deadline > now else {
                state.sleepers[id] = nil
                return .success(())
            }
            state.sleepers[id] = .waiting(until: deadline, continuation)
            if let armed = state.armedUntil, armed <= deadline { return nil }
            // No ticker, or one that wakes too late for this sleeper: arm a new one.
            state.ticker?.cancel()
            state.generation += 1
            state.armedUntil = deadline
            let generation = state.generation
            // Detached: the ticker is the runner's, not the attempt's; it carries none of its task-locals.
            state.ticker = Task.detached { [self] in await tick(generation) }
            return nil
        }
        if let outcome { continuation.resume(with: outcome) }
    }

    /// Sleeps until the earliest deadline, wakes the sleepers that are due, and goes on until none is left
    /// or a newer ticker replaced it.
    private func tick(_ generation: UInt64) async {
        while true {
            let next: Duration? = state.withLock { state in
                guard state.generation == generation else { return nil }
                let earliest = state.sleepers.values.compactMap(\.deadline).min()
                state.armedUntil = earliest
                if earliest == nil { state.ticker = nil }
                return earliest
            }
            guard let next else { return }
            do {
                try await clock.sleep(until: next)
            } catch {
                return
            }
            let now = clock.now
            let due: [CheckedContinuation<Void, any Error>] = state.withLock { state in
                let ids = state.sleepers.filter { $0.value.deadline.map { $0 <= now } ?? false }.keys
                return ids.compactMap { id in
                    guard case .waiting(_, let continuation)? = state.sleepers.removeValue(forKey: id) else {
                        return nil
                    }
                    return continuation
                }
            }
            for continuation in due { continuation.resume() }
        }
    }
}
