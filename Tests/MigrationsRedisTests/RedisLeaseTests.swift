import Foundation
import Logging
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

@Suite("Redis lease", .timeLimit(.minutes(5)))
struct RedisLeaseTests {
    private func request(_ name: String, pid: Int32 = 1) -> LeaseRequest {
        LeaseRequest(
            name: name, holder: LeaseHolder(host: "host-\(pid)", pid: pid, triggeredBy: "tests"), skipIfCompleted: true)
    }

    @Test("the lease key holds the owner JSON with a TTL, and every acquisition bumps the fence")
    func leaseValueAndFence() async throws {
        let harness = try await RedisHarness.start([], leaseTimeToLive: .seconds(5))
        let leases = harness.backend.leaseProvider
        guard case .acquired(let first, let checked) = try await leases.acquire(request("a", pid: 11)) else {
            Issue.record("not acquired")
            return
        }
        #expect(checked)
        #expect(first.fence.fencingToken == 1)
        let raw = try #require(try await harness.server.command("GET", "migration:a:lease").bytes)
        let value = try #require(RedisLeaseValue.decode(raw))
        #expect(value.token == first.fence.token)
        #expect(value.token.count == 32)
        #expect(value.pid == 11)
        #expect(value.fencingToken == 1)
        let ttl = try #require(try await harness.server.command("PTTL", "migration:a:lease").int)
        #expect(ttl > 0 && ttl <= 5000)

        guard case .heldBy(let holder) = try await leases.acquire(request("a", pid: 12)) else {
            Issue.record("second acquire succeeded")
            return
        }
        #expect(holder?.pid == 11)
        #expect(holder?.ttlMilliseconds ?? 0 > 0)

        try await first.release()
        #expect(try await harness.server.command("EXISTS", "migration:a:lease").int == 0)
        guard case .acquired(let second, _) = try await leases.acquire(request("a")) else {
            Issue.record("not acquired after release")
            return
        }
        #expect(second.fence.fencingToken == 2)
        #expect(try await harness.get("migration:a:fence") == "2")
        try await second.release()
    }

    @Test("release and renew are compare-and-set: they never touch someone else's lease")
    func releaseNeverDeletesAnotherOwnersLease() async throws {
        let harness = try await RedisHarness.start([], leaseTimeToLive: .seconds(5))
        let leases = harness.backend.leaseProvider
        guard case .acquired(let stale, _) = try await leases.acquire(request("a")) else { return }
        _ = try await leases.forceUnlock("a")
        guard case .acquired(let current, _) = try await leases.acquire(request("a", pid: 2)) else {
            Issue.record("not acquired after unlock")
            return
        }
        #expect(try await stale.renew() == false)
        try await stale.release()
        #expect(try await harness.server.command("EXISTS", "migration:a:lease").int == 1)
        #expect(try await current.renew())
        #expect(current.fence.fencingToken == 3)
        try await current.release()
    }

    @Test("a completion by a holder that lost its lease is refused and reported as lease lost")
    func staleCompletionIsRefused() async throws {
        let harness = try await RedisHarness.start([], leaseTimeToLive: .seconds(5))
        let leases = harness.backend.leaseProvider
        guard case .acquired(let stale, _) = try await leases.acquire(request("a")) else { return }
        _ = try await leases.forceUnlock("a")
        let result = MigrationResult(
            name: "a", status: .completed, startedAt: Date(), finishedAt: Date(), triggeredBy: "t", host: "h", pid: 1)
        let error = await #expect(throws: MigrationError.self) {
            _ = try await harness.backend.stateStore.markCompleted(result, fence: stale.fence)
        }
        #expect(error?.code == .leaseLost)
        #expect(try await harness.get("migration:a:completed") == nil)
    }

    @Test("an operator clearing the lease mid-run cancels the step and reports lease lost")
    func clearedLeaseCancelsTheStep() async throws {
        // This test once hung CI: with a 600 ms TTL a loaded machine woke the supervisor after the lease's
        // local deadline, the run ended as "lease lost" before the loop below ever saw the lease, and the
        // loop polled for it forever. The TTL leaves room for a busy machine; every wait is bounded.
        // A 3 s lease was still lost before the step started while a whole CI run started beside it: 10 s.
        let harness = try await RedisHarness.start(
            [countingMigration("long", step: .seconds(30))], leaseTimeToLive: .seconds(10))
        let runner = harness.runner
        let app = harness.app
        let ended = Shared<MigrationResult?>(nil)
        let run = Task {
            let result = try await runner.run("long", context: app)
            ended.set(result)
            return result
        }
        try await waitUntil("the step runs") { try await harness.app.count("long") == 1 || ended.value != nil }
        #expect(ended.value == nil, "the run ended before the lease was cleared: \(ended.value?.error ?? "")")
        _ = try await harness.backend.leaseProvider.forceUnlock("long")
        let finished = try await run.value
        #expect(finished.status == .failed)
        #expect(finished.failure == .leaseLost)
        #expect(finished.error?.contains("lease lost") == true)
        #expect(try await harness.get("migration:long:completed") == nil)
    }

    @Test("a replica waiting for a holder wakes when it finishes, well before the TTL, and skips")
    func waiterWakesPromptlyAndSkips() async throws {
        let migration = countingMigration("shared", step: .milliseconds(400))
        let first = try await RedisHarness.start([migration], leaseTimeToLive: .seconds(30))
        let second = try await RedisHarness.start([migration], server: first.server, leaseTimeToLive: .seconds(30))
        async let holder = first.runner.run("shared", context: first.app)
        try await waitUntil("the first replica holds the lease") {
            try await first.server.command("EXISTS", "migration:shared:lease").int == 1
        }
        let started = ContinuousClock.now
        let waited = try await second.runner.run("shared", context: second.app)
        let elapsed = ContinuousClock.now - started
        #expect(try await holder.status == .completed)
        #expect(waited.status == .skipped)
        #expect(elapsed < .seconds(10), "the waiter slept until the TTL instead of waking")
        #expect(try await first.app.count("shared") == 1)
    }

    @Test("a progress publish that arrives after the release stores nothing")
    func latePublishStoresNothing() async throws {
        let harness = try await RedisHarness.start([], leaseTimeToLive: .seconds(30))
        guard case .acquired(let lease, _) = try await harness.backend.leaseProvider.acquire(request("late")) else {
            Issue.record("not acquired")
            return
        }
        let snapshot = ProgressSnapshot(
            completed: 4, total: 10, elapsedSeconds: 1, isFinished: false, startedAt: Date())
        await lease.publish(progress: snapshot)
        #expect(try await harness.server.command("EXISTS", "migration:late:progress").int == 1)
        try await lease.release()
        #expect(try await harness.server.command("EXISTS", "migration:late:progress").int == 0)
        await lease.publish(progress: snapshot)
        #expect(
            try await harness.server.command("EXISTS", "migration:late:progress").int == 0,
            "a publish after the release left a stale snapshot")
    }

    @Test("progress is published to migration:<name>:progress and shown by status while running")
    func progressIsPublished() async throws {
        let migration = ClosureMigration<CountingApp>(name: "p") { context in
            context.progress.setTotal(10)
            context.progress.increment(by: 4)
            try await Task.sleep(for: .seconds(3))
        }
        let server = try await RedisServer.start()
        let backend = try await RedisMigrationBackend.connect(configuration: server.configuration())
        let runner = MigrationRunner(
            registry: try MigrationRegistry([migration]), backend: backend, logger: .init(label: "t"),
            configuration: .init(progressInterval: .milliseconds(100)))
        let app = CountingApp(redis: try await server.connect())
        async let result = runner.run("p", context: app)
        var stored = try await backend.stateStore.state(of: "p")
        for _ in 0..<250 where stored.progress?.completed != 4 {
            try await Task.sleep(for: .milliseconds(20))
            stored = try await backend.stateStore.state(of: "p")
        }
        #expect(stored.progress?.completed == 4)
        #expect(stored.holder?.pid == ProcessInfo.processInfo.processIdentifier)
        #expect(try await result.status == .completed)
        #expect(try await server.command("EXISTS", "migration:p:progress").int == 0)
    }
}
