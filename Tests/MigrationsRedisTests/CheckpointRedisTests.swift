import Foundation
import Logging
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Synchronization
import Testing

/// A backfill of `total` items in batches of `size` through the batch helper, counting each item in Redis
/// (`test-items`, a hash of item → times processed); it throws at `failAt` while `test-fail` is set.
func redisBackfill(_ name: String, total: Int, size: Int, failAt: Int? = nil) -> ClosureMigration<CountingApp> {
    ClosureMigration<CountingApp>(name: name) { context in
        context.progress.setTotal(total)
        try await context.iterate(from: nil as Int?) { (after: Int?) -> MigrationBatch<Int, Int>? in
            let start = after ?? 0
            guard start < total else { return nil }
            if let failAt, start >= failAt, try await context.app.redis.send(["GET", "test-fail"]).string != nil {
                throw TestFailure(message: "the source went away at \(start)")
            }
            return MigrationBatch(items: Array(start..<min(total, start + size)), cursor: min(total, start + size))
        } process: { items in
            _ = try await context.app.redis.pipeline(items.map { ["HINCRBY", "test-items", String($0), "1"] })
        }
    }
}

@Suite("Redis checkpoints", .timeLimit(.minutes(3)))
struct CheckpointRedisTests {
    @Test(
        "a failed attempt leaves :checkpoint (JSON with cursor, counts, fence, host, pid); the next resumes; completion deletes it"
    )
    func checkpointKeyLifecycle() async throws {
        let harness = try await RedisHarness.start([redisBackfill("fill", total: 200, size: 20, failAt: 120)])
        defer { harness.server.stop() }
        _ = try await harness.server.command("SET", "test-fail", "1")
        let first = try await harness.runner.run("fill", context: harness.app)
        #expect(first.status == .failed)

        let raw = try #require(try await harness.get("migration:fill:checkpoint"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any])
        #expect(object["cursor"] as? Int == 120)
        #expect(object["completed"] as? Int == 120)
        #expect(object["total"] as? Int == 200)
        #expect(object["fencingToken"] as? Int == 1)
        #expect(object["pid"] as? Int == Int(getpid()))
        #expect(object["runId"] as? String == first.runId)
        #expect(object["savedAt"] is String)
        #expect(try await harness.backend.stateStore.state(of: "fill").checkpoint?.completed == 120)

        _ = try await harness.server.command("DEL", "test-fail")
        let second = try await harness.runner.run("fill", context: harness.app)
        #expect(second.status == .completed)
        #expect(second.resumedFrom?.completed == 120)
        #expect(second.attempts == 2)
        #expect(second.recordsProcessed == 200)
        #expect(try await harness.server.command("EXISTS", "migration:fill:checkpoint").int == 0)
        let counts = try await harness.server.command("HVALS", "test-items").array?.compactMap(\.string) ?? []
        #expect(counts.count == 200)
        #expect(counts.allSatisfy { $0 == "1" }, "no item processed twice")
    }

    @Test(
        "a save by a holder whose lease was taken over is refused with lease lost; the stored checkpoint stays the new holder's"
    )
    func staleHolderSaveIsRefused() async throws {
        let harness = try await RedisHarness.start([], leaseTimeToLive: .seconds(30))
        defer { harness.server.stop() }
        let leases = harness.backend.leaseProvider
        let store = harness.backend.stateStore
        let holder = LeaseHolder(host: "h", pid: 1, triggeredBy: "t")
        let request = LeaseRequest(name: "m", holder: holder, skipIfCompleted: false)
        guard case .acquired(let old, _) = try await leases.acquire(request) else {
            Issue.record("no first lease")
            return
        }
        _ = try await leases.forceUnlock("m")
        guard case .acquired(let new, _) = try await leases.acquire(request) else {
            Issue.record("no second lease")
            return
        }
        func checkpoint(_ lease: any MigrationLease, _ at: Int) -> MigrationCheckpoint {
            MigrationCheckpoint(
                cursor: .int(Int64(at)), completed: at, total: 0, fencingToken: lease.fence.fencingToken, host: "h",
                pid: 1, runId: nil)
        }
        try await store.saveCheckpoint(checkpoint(new, 500), of: "m", fence: new.fence)
        let refused = await #expect(throws: MigrationError.self) {
            try await store.saveCheckpoint(checkpoint(old, 10), of: "m", fence: old.fence)
        }
        #expect(refused?.code == .leaseLost)
        #expect(refused?.message.contains("fencing token 1 was refused") == true)
        #expect(try await store.state(of: "m").checkpoint?.completed == 500)

        // The same token with a lease that is no longer ours (released) is refused too.
        try await new.release()
        let notOurs = await #expect(throws: MigrationError.self) {
            try await store.saveCheckpoint(checkpoint(new, 600), of: "m", fence: new.fence)
        }
        #expect(notOurs?.code == .leaseLost)
        #expect(try await store.state(of: "m").checkpoint?.completed == 500)
    }

    @Test("reset deletes :checkpoint unless kept; foreign JSON under it is reported, not decoded as pending")
    func resetAndForeignCheckpoint() async throws {
        let harness = try await RedisHarness.start([])
        defer { harness.server.stop() }
        let inspector = RedisMigrationInspector(connection: try await harness.server.connect())
        _ = try await harness.server.command("SET", "migration:m:checkpoint", #"{"cursor":1,"completed":1}"#)
        _ = try await harness.server.command("SET", "migration:m:error", "boom")
        let state = try await harness.backend.stateStore.state(of: "m")
        #expect(state.problem?.contains("migration:m:checkpoint: not a checkpoint") == true)
        #expect(try await inspector.reset("m", keepingCheckpoint: true) == ["migration:m:error"])
        #expect(try await harness.server.command("EXISTS", "migration:m:checkpoint").int == 1)
        #expect(try await inspector.reset("m") == ["migration:m:checkpoint"])
    }

    /// The throttle holds for 8 s, longer than the 8 s lease's local deadline (7.2 s): the run can only
    /// complete with its first fencing token if the lease was renewed meanwhile. Renewals are due every
    /// 2.7 s, so a stall of up to about 4.5 s is survived: the suite starts hundreds of tests at once on
    /// two cores, and a 5 s lease (renewed every 1.7 s) was lost there in one CI run of ten.
    @Test("a throttle holding for 8 s: no batch meanwhile, the 8 s lease is renewed, progress says throttled")
    func throttleKeepsTheLease() async throws {
        let processed = Shared<[(Int, ContinuousClock.Instant)]>([])
        let start = Shared<ContinuousClock.Instant?>(nil)
        let released = Shared<ContinuousClock.Instant?>(nil)
        let migration = ClosureMigration<CountingApp>(name: "lagging") { context in
            start.set(.now)
            try await context.iterate(from: nil as Int?) { (after: Int?) -> MigrationBatch<Int, Int>? in
                let first = after ?? 0
                guard first < 30 else { return nil }
                return MigrationBatch(items: Array(first..<first + 10), cursor: first + 10)
            } process: { items in
                processed.update { $0.append((items[0], .now)) }
            }
        }
        let harness = try await RedisHarness.start([migration], leaseTimeToLive: .seconds(8))
        defer { harness.server.stop() }
        var options = MigrationRunOptions()
        options.throttle = MigrationThrottle(backoff: .milliseconds(100)).throttled(on: "replication lag") {
            released.value == nil
        }
        let finished = Shared<MigrationResult?>(nil)
        let runner = harness.runner
        let app = harness.app
        let run = Task {
            let result = try await runner.run("lagging", context: app, options: options)
            finished.set(result)
            return result
        }
        try await waitUntil("the progress says throttled") {
            finished.value != nil || harness.runner.progress(of: "lagging")?.throttled == "replication lag"
        }
        #expect(finished.value == nil, "the run ended while throttled: \(finished.value?.error ?? "")")
        try await waitUntil("the throttle held for 8 s") {
            guard let began = start.value else { return false }
            return finished.value != nil || ContinuousClock.now - began >= .seconds(8)
        }
        #expect(processed.value.isEmpty, "a batch ran while throttled")
        released.set(.now)
        let outcome = try await run.value
        #expect(outcome.status == .completed, "\(outcome.error ?? "")")
        #expect(outcome.fencingToken == 1, "one acquisition: the lease was kept through the wait")
        let batches = processed.value
        let releasedAt = try #require(released.value)
        #expect(batches.count == 3)
        #expect(batches.allSatisfy { $0.1 >= releasedAt }, "a batch ran while throttled")
        #expect(try await harness.get("migration:lagging:completed") == "true")
    }
}
