import Foundation
import InMemoryLogging
import Logging
import Migrations
import MigrationsTestSupport
import Synchronization
import Testing

@Suite("Throttling batches", .timeLimit(.minutes(1)))
struct ThrottleTests {
    @Test("while a condition holds no batch starts, progress says why, and it goes on once it clears")
    func conditionHoldsBatches() async throws {
        let holding = Shared(true)
        let batchesWhileHeld = Shared(0)
        let processed = Shared<[Int]>([])
        let migration = ClosureMigration<TestApp>(name: "throttled") { context in
            try await context.iterate(from: nil as Int?) { (after: Int?) -> MigrationBatch<Int, Int>? in
                let start = after ?? 0
                guard start < 30 else { return nil }
                if holding.value { batchesWhileHeld.update { $0 += 1 } }
                return MigrationBatch(items: Array(start..<start + 10), cursor: start + 10)
            } process: { items in
                processed.update { $0.append(contentsOf: items) }
            }
        }
        let harness = try TestHarness([migration])
        var options = MigrationRunOptions()
        options.throttle = MigrationThrottle(backoff: .milliseconds(20), jitter: 0.5)
            .throttled(on: "replica lag above 2 s") { holding.value }
        async let result = harness.runner.run("throttled", context: harness.app, options: options)
        try await waitUntil("the progress says throttled") {
            harness.runner.progress(of: "throttled")?.throttled == "replica lag above 2 s"
        }
        #expect(processed.value.isEmpty)
        holding.set(false)
        #expect(try await result.status == .completed)
        #expect(batchesWhileHeld.value == 0, "no batch was fetched while throttled")
        #expect(processed.value == Array(0..<30))
        #expect(harness.logs.entries.contains { $0.message.description.hasPrefix("throttled: replica lag above 2 s") })
    }

    @Test("a maximum rate spaces the batches on the runner's clock")
    func maximumRate() async throws {
        let clock = ManualClock()
        let processed = Shared(0)
        let migration = ClosureMigration<TestApp>(name: "paced") { context in
            try await context.iterate(from: nil as Int?) { (after: Int?) -> MigrationBatch<Int, Int>? in
                let start = after ?? 0
                guard start < 40 else { return nil }
                return MigrationBatch(items: Array(start..<start + 10), cursor: start + 10)
            } process: { items in
                processed.update { $0 += items.count }
            }
        }
        let harness = try TestHarness([migration], clock: clock)
        var options = MigrationRunOptions()
        options.throttle = MigrationThrottle(maxItemsPerSecond: 10)
        async let result = harness.runner.run("paced", context: harness.app, options: options)
        try await waitUntil("the first batch ran") { processed.value == 10 }
        for expected in [20, 30, 40] {
            // The supervisor, the checkpoint writer and the pacer.
            try await waitUntil("the pacer sleeps") { clock.sleeperCount >= 3 }
            #expect(processed.value == expected - 10, "no batch before its second")
            clock.advance(by: .seconds(1))
            try await waitUntil("batch \(expected / 10) ran") { processed.value == expected }
        }
        clock.advance(by: .seconds(1))
        #expect(try await result.status == .completed)
    }
}
