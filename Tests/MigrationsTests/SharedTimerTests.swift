import MigrationsTestSupport
import Synchronization
import Testing

@testable import Migrations

/// The one timer the supervisors of a runner's attempts sleep on.
@Suite("Shared timer", .timeLimit(.minutes(1)))
struct SharedTimerTests {
    /// The sleepers that have woken, in order.
    private final class Woken: Sendable {
        private let names = Mutex<[String]>([])
        func append(_ name: String) { names.withLock { $0.append(name) } }
        var all: [String] { names.withLock { $0 } }
    }

    /// A manual clock that counts the sleeps started on it: how often the timer was armed.
    private struct CountingClock: Clock {
        let base = ManualClock()
        private let counter = Counter()

        private final class Counter: Sendable {
            let value = Atomic<Int>(0)
        }

        var sleeps: Int { counter.value.load(ordering: .sequentiallyConsistent) }
        var now: ManualClock.Instant { base.now }
        var minimumResolution: Duration { .zero }

        func sleep(until deadline: ManualClock.Instant, tolerance: Duration?) async throws {
            counter.value.add(1, ordering: .sequentiallyConsistent)
            try await base.sleep(until: deadline, tolerance: tolerance)
        }
    }

    private func sleeper(
        _ name: String, until deadline: Duration, on timer: SharedTimer, _ woken: Woken
    ) -> Task<Void, any Error> {
        Task {
            try await timer.sleep(until: deadline)
            woken.append(name)
        }
    }

    @Test("sleepers wake at their deadlines, in order, on one clock timer; an earlier one re-arms it")
    func sleepersWakeInOrderOnOneTimer() async throws {
        let counting = CountingClock()
        let clock = counting.base
        let timer = SharedTimer(clock: RunnerClock(counting))
        let woken = Woken()
        let late = sleeper("late", until: .seconds(30), on: timer, woken)
        try await waitUntil("the timer is armed") { clock.sleeperCount == 1 }
        let middle = sleeper("middle", until: .seconds(20), on: timer, woken)
        try await waitUntil("the timer re-armed for the earlier sleeper") { counting.sleeps == 2 }
        // Earlier than the armed deadline: the timer is re-armed for it, still one clock sleep.
        let early = sleeper("early", until: .seconds(10), on: timer, woken)
        try await waitUntil("the timer re-armed for the earliest sleeper") { counting.sleeps == 3 }
        try await waitUntil("one clock sleep for all three") { clock.sleeperCount == 1 }

        clock.advance(by: .seconds(9))
        clock.advance(by: .seconds(1))
        try await early.value
        #expect(woken.all == ["early"])
        clock.advance(by: .seconds(10))
        try await middle.value
        #expect(woken.all == ["early", "middle"])
        clock.advance(by: .seconds(5))
        try await waitUntil("the timer sleeps until the last deadline") { clock.sleeperCount == 1 }
        #expect(woken.all == ["early", "middle"], "woke before its deadline")
        clock.advance(by: .seconds(5))  // 30 s
        try await late.value
        #expect(woken.all == ["early", "middle", "late"])
        try await waitUntil("the timer stops with no sleeper left") { clock.sleeperCount == 0 }
    }

    @Test("a cancelled sleeper throws at once and the others keep their deadlines")
    func cancelledSleeperThrows() async throws {
        let clock = ManualClock()
        let timer = SharedTimer(clock: RunnerClock(clock))
        let woken = Woken()
        let cancelled = sleeper("cancelled", until: .seconds(5), on: timer, woken)
        let kept = sleeper("kept", until: .seconds(10), on: timer, woken)
        try await waitUntil("the timer sleeps") { clock.sleeperCount == 1 }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        clock.advance(by: .seconds(5))
        #expect(woken.all.isEmpty)
        clock.advance(by: .seconds(5))
        try await kept.value
        #expect(woken.all == ["kept"])
    }

    @Test("a task cancelled before it sleeps throws without waiting; a past deadline returns at once")
    func cancelledBeforeAndPastDeadline() async throws {
        let clock = ManualClock()
        let timer = SharedTimer(clock: RunnerClock(clock))
        let gate = Mutex(false)
        let early = Task {
            while !gate.withLock({ $0 }) { await Task.yield() }
            try await timer.sleep(until: .seconds(60))
        }
        early.cancel()
        gate.withLock { $0 = true }
        await #expect(throws: CancellationError.self) { try await early.value }
        #expect(clock.sleeperCount == 0)

        clock.advance(by: .seconds(3))
        try await timer.sleep(until: .seconds(2))
        try await timer.sleep(until: .seconds(3))
        #expect(clock.sleeperCount == 0)
    }

    @Test("a thousand short sleepers, each later than the last, arm the clock once between them")
    func shortSleepersShareTheTimer() async throws {
        let counting = CountingClock()
        let clock = counting.base
        let timer = SharedTimer(clock: RunnerClock(counting))
        for index in 0..<1000 {
            // As a run of short attempts does: each sleeps until a deadline later than the last, and ends first.
            let attempt = Task { try await timer.sleep(until: .seconds(5) + .milliseconds(index)) }
            try await waitUntil("the attempt sleeps") { clock.sleeperCount == 1 }
            attempt.cancel()
            await #expect(throws: CancellationError.self) { try await attempt.value }
        }
        #expect(counting.sleeps == 1, "the clock was armed \(counting.sleeps) times")
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(6))
        try await waitUntil("the timer stops with no sleeper left") { clock.sleeperCount == 0 }
    }
}
