import Foundation
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Synchronization
import Testing

/// Waiting for a holder's whole run of pending migrations (`waitForPendingRun`): what wakes it, and
/// what bounds it when nothing does.
@Suite("Redis run waits", .timeLimit(.minutes(5)))
struct RunWaitTests {
    private func request(_ name: String, pendingRun: String?) -> LeaseRequest {
        LeaseRequest(
            name: name,
            holder: LeaseHolder(host: "holder", pid: 7, triggeredBy: "tests", pendingRun: pendingRun),
            skipIfCompleted: true)
    }

    /// Whether a wait has returned.
    private final class EndFlag: Sendable {
        private let flag = Atomic<Bool>(false)
        var isSet: Bool { flag.load(ordering: .sequentiallyConsistent) }
        func set() { flag.store(true, ordering: .sequentiallyConsistent) }
    }

    /// A wait running in a task.
    private struct Waiting {
        let task: Task<Void, any Error>
        let flag: EndFlag
        var ended: Bool { flag.isSet }
    }

    /// Starts a wait for `run` in a task, and returns once the waiter is registered in the run's set (or
    /// has already returned).
    private func startWaiting(
        _ harness: RedisHarness, run: String, holding name: String, timeout: Duration = .seconds(50)
    ) async throws -> Waiting {
        let leases = harness.backend.leaseProvider
        let flag = EndFlag()
        let task = Task {
            defer { flag.set() }
            try await leases.waitForPendingRun(run, holding: name, timeout: timeout)
        }
        let members = RedisMigrationKeys().runWaiters(run)
        try await waitUntil("the waiter registers for the run") {
            try await harness.server.command("SCARD", members).int == 1 || flag.isSet
        }
        return Waiting(task: task, flag: flag)
    }

    @Test("the lease value names the run, and the run's end wakes its waiters at once")
    func endOfTheRunWakesItsWaiters() async throws {
        let harness = try await RedisHarness.start([], leaseTimeToLive: .seconds(60))
        let leases = harness.backend.leaseProvider
        guard case .acquired(let lease, _) = try await leases.acquire(request("a", pendingRun: "run-1")) else {
            Issue.record("not acquired")
            return
        }
        let raw = try #require(try await harness.server.command("GET", "migration:a:lease").bytes)
        #expect(RedisLeaseValue.decode(raw)?.pendingRun == "run-1")
        guard case .heldBy(let holder) = try await leases.acquire(request("a", pendingRun: "run-2")) else {
            Issue.record("acquired a held lease")
            return
        }
        #expect(holder?.pendingRun == "run-1")

        let waiting = try await startWaiting(harness, run: "run-1", holding: "a")
        let expiry = try #require(try await harness.server.command("PTTL", "migration:run-1:run-waiters").int)
        #expect(expiry > 0, "a run's waiter set expires, as nobody removes it when its holder dies")
        // The migration's own release does not wake a waiter of the run: the holder goes on to the next.
        try await lease.release()
        try await Task.sleep(for: .milliseconds(300))
        #expect(!waiting.ended, "the release of one lease of the run woke its waiter")
        try await leases.wakeWaiters(ofPendingRun: "run-1")
        try await waitUntil("the waiter wakes", limit: .seconds(10)) { waiting.ended }
        try await waiting.task.value
        #expect(try await harness.server.command("EXISTS", "migration:run-1:run-waiters").int == 0)
    }

    @Test("an operator clearing a lease of the run wakes its waiters, with unlock and with unlock --force")
    func clearingALeaseOfTheRunWakesItsWaiters() async throws {
        let harness = try await RedisHarness.start([], leaseTimeToLive: .seconds(60))
        let leases = harness.backend.leaseProvider
        let inspector = RedisMigrationInspector(connection: try await harness.server.connect())

        _ = try await leases.acquire(request("a", pendingRun: "run-1"))
        var waiting = try await startWaiting(harness, run: "run-1", holding: "a")
        _ = try await inspector.forceUnlock("a")
        try await waitUntil("forceUnlock wakes the waiter", limit: .seconds(10)) {
            waiting.ended
        }
        try await waiting.task.value

        _ = try await leases.acquire(request("a", pendingRun: "run-2"))
        let shown = try #require(try await inspector.rawLease(of: "a"))
        waiting = try await startWaiting(harness, run: "run-2", holding: "a")
        #expect(try await inspector.forceUnlock("a", expecting: shown))
        try await waitUntil("forceUnlock(expecting:) wakes the waiter", limit: .seconds(10)) {
            waiting.ended
        }
        try await waiting.task.value

        _ = try await leases.acquire(request("a", pendingRun: "run-3"))
        let raw = try #require(try await inspector.rawLease(of: "a"))
        let value = try #require(RedisLeaseValue.decode(raw))
        waiting = try await startWaiting(harness, run: "run-3", holding: "a")
        #expect(try await inspector.release("a", value: value))
        try await waitUntil("release(value:) wakes the waiter", limit: .seconds(10)) {
            waiting.ended
        }
        try await waiting.task.value
    }

    @Test("a run whose holder never ends it is waited for only until the lease seen would expire")
    func theLeaseSeenBoundsTheWait() async throws {
        let harness = try await RedisHarness.start([], leaseTimeToLive: .seconds(1))
        let leases = harness.backend.leaseProvider
        // Taken and never renewed or released: a holder that died.
        _ = try await leases.acquire(request("a", pendingRun: "run-1"))
        let waiting = try await startWaiting(harness, run: "run-1", holding: "a")
        try await waitUntil("the wait ends once the lease has expired", limit: .seconds(10)) {
            waiting.ended
        }
        try await waiting.task.value
        #expect(
            try await harness.server.command("EXISTS", "migration:a:lease").int == 0,
            "the wait ended before the lease expired")
        #expect(try await harness.server.command("SCARD", "migration:run-1:run-waiters").int == 0)
    }

    @Test("a cancelled run wait unregisters and throws CancellationError")
    func cancelledWaitUnregisters() async throws {
        let harness = try await RedisHarness.start([], leaseTimeToLive: .seconds(60))
        _ = try await harness.backend.leaseProvider.acquire(request("a", pendingRun: "run-1"))
        let waiting = try await startWaiting(harness, run: "run-1", holding: "a")
        waiting.task.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.task.value }
        #expect(try await harness.server.command("SCARD", "migration:run-1:run-waiters").int == 0)
    }

    // MARK: - Through the runner

    /// Waits until some replica waits for a whole run.
    private func waitForARunWaiter(_ server: RedisServer) async throws {
        try await waitUntil("a replica waits for the other's run") {
            let sets = (try await server.command("KEYS", "migration:*:run-waiters").array ?? []).compactMap(\.string)
            return sets.count == 1
        }
    }

    @Test("a runPending that stops at a failure ends its run: the waiter wakes at once and carries on")
    func aFailedRunStillEnds() async throws {
        // The holder's a is slow, so the waiter surely finds it held; the waiter's own steps are quick.
        let first = try await RedisHarness.start(
            [countingMigration("a", step: .milliseconds(1500)), countingMigration("b", fail: true)],
            leaseTimeToLive: .seconds(30))
        let second = try await RedisHarness.start(
            [countingMigration("a"), countingMigration("b", fail: true)], server: first.server,
            leaseTimeToLive: .seconds(30))
        async let holder = first.runner.runPending(context: first.app)
        try await waitUntil("the first replica holds the lease of a") {
            try await first.server.command("EXISTS", "migration:a:lease").int == 1
        }
        let started = ContinuousClock.now
        let waiter = try await second.runner.runPending(context: second.app)
        let elapsed = ContinuousClock.now - started
        #expect(try await holder.map(\.status) == [.completed, .failed])
        #expect(waiter.map(\.status) == [.skipped, .failed], "the waiter skipped the completed a and retried b")
        #expect(elapsed < .seconds(10), "the waiter slept until the lease it saw expired instead of waking")
        #expect(try await first.app.count("a") == 1)
        #expect(try await first.app.count("b") == 2)
    }

    @Test("a cancelled runPending ends its run: the waiter wakes at once and runs what was cancelled")
    func aCancelledRunStillEnds() async throws {
        // The holder's step outlasts the test unless cancelled, so the cancellation always lands in it.
        let first = try await RedisHarness.start(
            [countingMigration("a", step: .seconds(60)), countingMigration("b")], leaseTimeToLive: .seconds(30))
        let second = try await RedisHarness.start(
            [countingMigration("a"), countingMigration("b")], server: first.server, leaseTimeToLive: .seconds(30))
        let holder = Task { try await first.runner.runPending(context: first.app) }
        try await waitUntil("the first replica holds the lease of a") {
            try await first.server.command("EXISTS", "migration:a:lease").int == 1
        }
        async let waiter = second.runner.runPending(context: second.app)
        try await waitForARunWaiter(first.server)
        let cancelledAt = ContinuousClock.now
        holder.cancel()
        _ = try? await holder.value
        let results = try await waiter
        #expect(results.map(\.status) == [.completed, .completed], "the waiter ran the cancelled migration")
        #expect(ContinuousClock.now - cancelledAt < .seconds(10), "the waiter slept until the lease it saw expired")
        #expect(try await first.app.count("a") == 2)
        #expect(try await first.server.command("GET", "migration:a:completed").string == "true")
    }

    @Test("a run that reaches a sharded migration wakes its waiters, so they share the shards")
    func waitersShareTheShardsOfTheRun() async throws {
        let sharded = ClosureMigration<CountingApp>(name: "s", sharding: .count(6)) { context in
            _ = try await context.app.redis.send(["INCR", "test-shards-by:\(context.triggeredBy)"])
            try await Task.sleep(for: .milliseconds(300))
        }
        let migrations: [any Migration<CountingApp>] = [countingMigration("a", step: .milliseconds(300)), sharded]
        let first = try await RedisHarness.start(
            migrations, leaseTimeToLive: .seconds(30), configuration: .init(triggeredBy: "first"))
        let second = try await RedisHarness.start(
            migrations, server: first.server, leaseTimeToLive: .seconds(30),
            configuration: .init(triggeredBy: "second"))
        async let holder = first.runner.runPending(context: first.app)
        try await waitUntil("the first replica holds the lease of a") {
            try await first.server.command("EXISTS", "migration:a:lease").int == 1
        }
        let waiter = try await second.runner.runPending(context: second.app)
        _ = try await holder
        let byFirst = Int(try await first.server.command("GET", "test-shards-by:first").string ?? "0") ?? 0
        let bySecond = Int(try await first.server.command("GET", "test-shards-by:second").string ?? "0") ?? 0
        #expect(byFirst + bySecond == 6, "each shard ran once")
        #expect(bySecond >= 1, "the waiter slept through the shards of the run it waited for")
        #expect(waiter.last?.name == "s")
        #expect(try await first.server.command("GET", "migration:s:completed").string == "true")
    }
}
