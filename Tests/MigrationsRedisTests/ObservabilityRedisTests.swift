import Foundation
import InMemoryTracing
import MetricsTestKit
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisTestSupport
import Testing
import Tracing

@Suite("Metrics and spans of a taken-over and a lost lease, against Redis", .timeLimit(.minutes(2)))
struct ObservabilityRedisTests {
    @Test("a dead holder's lease is taken over after its TTL: one acquisition, one takeover, the wait timed and traced")
    func takeover() async throws {
        let metrics = TestMetrics()
        let tracer = InMemoryTracer()
        let harness = try await RedisHarness.start(
            [countingMigration("t")],
            configuration: .init(triggeredBy: "tests", metricsFactory: metrics, tracer: tracer))
        defer { harness.server.stop() }
        // A holder that took the lease with a 1.5 s TTL and died: it never renews or releases it.
        let dead = try await RedisMigrationBackend.connect(
            configuration: harness.server.configuration(), leaseTimeToLive: .milliseconds(1500))
        let request = LeaseRequest(
            name: "t", holder: LeaseHolder(host: "gone-host", pid: 4242, triggeredBy: "deploy-1"),
            skipIfCompleted: true)
        guard case .acquired = try await dead.leaseProvider.acquire(request) else {
            Issue.record("the dead holder did not get its lease")
            return
        }

        let result = try await harness.runner.run("t", context: harness.app)

        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.fencingToken == 2)
        #expect(try await harness.app.count("t") == 1)
        #expect(try metrics.expectCounter(MigrationMetrics.leaseAcquisitions, [("migration", "t")]).totalValue == 1)
        #expect(try metrics.expectCounter(MigrationMetrics.leaseTakeovers, [("migration", "t")]).totalValue == 1)
        let waited = try metrics.expectTimer(MigrationMetrics.leaseWaitDuration, [("migration", "t")])
        #expect(waited.values.count == 1)
        #expect(metrics.counters(label: MigrationMetrics.leaseLosses).isEmpty)
        let completed = [("migration", "t"), ("outcome", "completed")]
        #expect(try metrics.expectCounter(MigrationMetrics.attempts, completed).totalValue == 1)

        let spans = tracer.finishedSpans
        let run = try #require(spans.first { $0.operationName == MigrationSpans.run })
        #expect(run.attributes.get("migration.fencing_token") == .int64(2))
        let children = spans.filter { $0.parentSpanID == run.spanID }.map(\.operationName)
        #expect(
            children == [MigrationSpans.leaseWait, MigrationSpans.validate, MigrationSpans.up, MigrationSpans.record],
            "\(children)")
        let wait = try #require(spans.first { $0.operationName == MigrationSpans.leaseWait })
        #expect(wait.attributes.get("lease.holder").map { "\($0)" }?.contains("gone-host") == true)
    }

    @Test(
        "a lease cleared by an operator mid-step: one loss, the attempt counted failed as lease-lost, checkpoints counted"
    )
    func leaseLost() async throws {
        let migration = ClosureMigration<CountingApp>(name: "long") { context in
            context.saveCheckpoint(41)
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
        }
        let metrics = TestMetrics()
        // The lease is lost by the operator's unlock, never by expiry: a TTL far above any stall of a
        // loaded machine keeps it that way.
        let harness = try await RedisHarness.start(
            [migration], leaseTimeToLive: .seconds(9),
            configuration: .init(
                triggeredBy: "tests", checkpointInterval: .milliseconds(50), metricsFactory: metrics))
        defer { harness.server.stop() }
        let runner = harness.runner

        let finished = Shared(false)
        let run = Task {
            defer { finished.set(true) }
            return try await runner.run("long", context: harness.app)
        }
        defer { run.cancel() }
        try await waitUntil("the first checkpoint is written, or the run ended") {
            try await harness.get("migration:long:checkpoint") != nil || finished.value
        }
        if finished.value {
            let early = try await run.value
            Issue.record("the run ended before its first checkpoint: \(early)")
            return
        }
        _ = try await harness.backend.leaseProvider.forceUnlock("long")
        let result = try await run.value

        #expect(result.status == .failed)
        #expect(result.failure == .leaseLost)
        #expect(try metrics.expectCounter(MigrationMetrics.leaseLosses, [("migration", "long")]).totalValue == 1)
        let lost = [("migration", "long"), ("outcome", "failed"), ("failure", "lease-lost")]
        #expect(try metrics.expectCounter(MigrationMetrics.attempts, lost).totalValue == 1)
        let writes = try metrics.expectCounter(MigrationMetrics.checkpointWrites, [("migration", "long")]).totalValue
        #expect(writes == 1, "one write of the one save; the last write after the loss was refused")
        #expect(try metrics.expectGauge(MigrationMetrics.running, [("migration", "long")]).lastValue == 0)
    }
}
