import CoreMetrics
import Foundation
import InMemoryLogging
import InMemoryTracing
import Logging
import MetricsTestKit
import Migrations
import MigrationsTestSupport
import Testing
import Tracing

@Suite("Metrics, spans and log metadata of an attempt", .timeLimit(.minutes(2)))
struct ObservabilityTests {
    @Test("a completed attempt: counted once as completed, its lease, duration, running gauge and progress")
    func completedMetrics() async throws {
        let metrics = TestMetrics()
        let migration = counting("a") { context in
            context.progress.setTotal(3)
            context.progress.increment(by: 3)
        }
        let harness = try TestHarness([migration], metricsFactory: metrics)

        let result = try await harness.runner.run("a", context: harness.app)

        #expect(result.status == .completed)
        let dimensions = [("migration", "a"), ("outcome", "completed")]
        #expect(try metrics.expectCounter(MigrationMetrics.attempts, dimensions).totalValue == 1)
        #expect(try metrics.expectTimer(MigrationMetrics.attemptDuration, dimensions).values.count == 1)
        #expect(try metrics.expectCounter(MigrationMetrics.leaseAcquisitions, [("migration", "a")]).totalValue == 1)
        #expect(metrics.counters(label: MigrationMetrics.leaseTakeovers).isEmpty)
        #expect(metrics.timers(label: MigrationMetrics.leaseWaitDuration).isEmpty, "it never waited")
        #expect(try metrics.expectGauge(MigrationMetrics.running, [("migration", "a")]).values == [1, 0])
        #expect(try metrics.expectGauge(MigrationMetrics.itemsProcessed, [("migration", "a")]).lastValue == 3)
        #expect(try metrics.expectGauge(MigrationMetrics.itemsTotal, [("migration", "a")]).lastValue == 3)

        let again = try await harness.runner.run("a", context: harness.app)
        #expect(again.status == .skipped)
        let skipped = [("migration", "a"), ("outcome", "skipped")]
        #expect(try metrics.expectCounter(MigrationMetrics.attempts, skipped).totalValue == 1)
        #expect(try metrics.expectCounter(MigrationMetrics.attempts, dimensions).totalValue == 1)
    }

    @Test(
        "a failed attempt is counted by its failure kind; a timeout, a validation failure and a cancel each their own")
    func failedMetrics() async throws {
        let metrics = TestMetrics()
        let failing = counting("fails") { _ in throw StepError.boom }
        let invalid = counting("invalid", validate: .invalid("missing column"))
        let slow = counting("slow") { _ in try await Task.sleep(for: .seconds(30)) }
        let harness = try TestHarness([failing, invalid, slow], metricsFactory: metrics)

        _ = try await harness.runner.run("fails", context: harness.app)
        _ = try await harness.runner.run("invalid", context: harness.app)
        _ = try await harness.runner.run(
            "slow", context: harness.app, options: MigrationRunOptions(timeout: .milliseconds(50)))

        for (name, failure) in [("fails", "error"), ("invalid", "validation"), ("slow", "timeout")] {
            let dimensions = [("migration", name), ("outcome", "failed"), ("failure", failure)]
            #expect(try metrics.expectCounter(MigrationMetrics.attempts, dimensions).totalValue == 1, "\(name)")
            #expect(
                metrics.counters(
                    label: MigrationMetrics.attempts, dimensions: [("migration", name), ("outcome", "completed")]
                ).isEmpty)
        }
        #expect(try metrics.expectGauge(MigrationMetrics.running, [("migration", "fails")]).lastValue == 0)
    }

    @Test("spans: a run span with the attempt's attributes, validate, up and record under it, the app's span under up")
    func spans() async throws {
        let tracer = InMemoryTracer()
        let migration = counting("a") { context in
            context.progress.increment(by: 7)
            tracer.withSpan("app.database.write") { _ in }
        }
        let failing = counting("b") { _ in throw StepError.boom }
        let harness = try TestHarness([migration, failing], tracer: tracer)

        let result = try await harness.runner.run("a", context: harness.app)
        _ = try await harness.runner.run("b", context: harness.app)

        let spans = tracer.finishedSpans
        let run = try #require(
            spans.first {
                $0.operationName == MigrationSpans.run && $0.attributes.get("migration.name") == .string("a")
            })
        #expect(run.parentSpanID == nil)
        #expect(run.attributes.get("migration.run_id") == .string(result.runId ?? "?"))
        #expect(run.attributes.get("migration.outcome") == .string("completed"))
        #expect(run.attributes.get("migration.fencing_token") == .int64(Int64(result.fencingToken ?? 0)))
        #expect(run.attributes.get("migration.records_processed") == .int64(7))
        #expect(run.status == nil)
        let children = spans.filter { $0.parentSpanID == run.spanID }.map(\.operationName)
        #expect(children == [MigrationSpans.validate, MigrationSpans.up, MigrationSpans.record], "\(children)")
        let up = try #require(spans.first { $0.operationName == MigrationSpans.up && $0.parentSpanID == run.spanID })
        let app = try #require(spans.first { $0.operationName == "app.database.write" })
        #expect(app.parentSpanID == up.spanID, "the application's span nests under the step's")
        #expect(app.traceID == run.traceID)

        let failed = try #require(
            spans.first {
                $0.operationName == MigrationSpans.run && $0.attributes.get("migration.name") == .string("b")
            })
        #expect(failed.attributes.get("migration.outcome") == .string("failed"))
        #expect(failed.status?.code == .error)
        #expect(failed.status?.message == "boom")
        #expect(failed.traceID != run.traceID, "each attempt is its own trace when the caller has none")
    }

    @Test(
        "a run waiting for another holder: a lease-wait span and the wait's time; it finds the work done, so no takeover"
    )
    func waitedFor() async throws {
        let store = InMemoryStateStore()
        let leases = InProcessLeaseProvider()
        let gate = Shared(false)
        let started = Shared(false)
        let holder = counting("a") { _ in
            started.set(true)
            try await waitUntil("the test opens the gate", limit: .seconds(30)) { gate.value }
        }
        let first = try TestHarness([holder], store: store, leaseProvider: leases)
        let metrics = TestMetrics()
        let tracer = InMemoryTracer()
        let second = try TestHarness(
            [counting("a")], store: store, leaseProvider: leases, metricsFactory: metrics, tracer: tracer)

        let running = Task { try await first.runner.run("a", context: first.app) }
        try await waitUntil("the first run holds the lease and runs up") { started.value }
        let waiting = Task { try await second.runner.run("a", context: second.app) }
        try await waitUntil("the second run waits") { second.runner.leaseWait(of: "a") != nil }
        gate.set(true)
        #expect(try await running.value.status == .completed)
        let result = try await waiting.value

        #expect(result.status == .skipped)
        #expect(second.app.count("a.up") == 0)
        let wait = try metrics.expectTimer(MigrationMetrics.leaseWaitDuration, [("migration", "a")])
        #expect(wait.values.count == 1)
        #expect(
            metrics.counters(label: MigrationMetrics.leaseTakeovers).isEmpty,
            "the holder completed it: nothing was taken over")
        #expect(
            try metrics.expectCounter(MigrationMetrics.attempts, [("migration", "a"), ("outcome", "skipped")])
                .totalValue == 1)
        let spans = tracer.finishedSpans
        let run = try #require(spans.first { $0.operationName == MigrationSpans.run })
        let waitSpan = try #require(spans.first { $0.operationName == MigrationSpans.leaseWait })
        #expect(waitSpan.parentSpanID == run.spanID)
        #expect(run.attributes.get("migration.outcome") == .string("skipped"))
    }

    @Test("every line an attempt logs after taking its lease carries the name, the run id and the fencing token")
    func logMetadata() async throws {
        let migration = counting("a") { context in
            context.progress.increment(by: 2)
            context.logger.info("from the step")
            try await Task.sleep(for: .milliseconds(120))
        }
        let harness = try TestHarness([migration], progressInterval: .milliseconds(20))

        let result = try await harness.runner.run("a", context: harness.app)

        let entries = harness.logs.entries
        #expect(entries.contains { $0.message.description.hasPrefix("progress") }, "the supervisor logged progress")
        #expect(entries.contains { $0.message.description == "from the step" })
        for entry in entries {
            #expect(entry.metadata["migration.name"] == "a", "\(entry.message)")
            #expect(entry.metadata["migration.run_id"] == .string(result.runId ?? "?"), "\(entry.message)")
            #expect(
                entry.metadata["migration.fencing_token"] == .string("\(result.fencingToken ?? 0)"), "\(entry.message)")
        }
    }
}
