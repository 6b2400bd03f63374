import Foundation
import Migrations
import MigrationsTestSupport
import Testing

/// Items `0..<total` in batches of 10, each batch taking `pause`; every processed item is recorded.
func slowBackfill(
    _ name: String, total: Int, processed: Shared<[Int]>, pause: Duration = .milliseconds(5),
    schedule: MigrationSchedule = .beforeServing
) -> ClosureMigration<TestApp> {
    ClosureMigration<TestApp>(
        name: name,
        up: { context in
            context.progress.setTotal(total)
            try await context.iterate(from: nil as Int?) { (after: Int?) -> MigrationBatch<Int, Int>? in
                let start = after ?? 0
                guard start < total else { return nil }
                return MigrationBatch(items: Array(start..<min(total, start + 10)), cursor: min(total, start + 10))
            } process: { items in
                try await Task.sleep(for: pause)
                processed.update { $0.append(contentsOf: items) }
            }
        }, schedule: schedule)
}

@Suite("Pausing, resuming and cancelling", .timeLimit(.minutes(1)))
struct ControlTests {
    @Test("pause while running: the step stops, its checkpoint is written, the lease released; resume goes on from it")
    func pauseAndResume() async throws {
        let processed = Shared<[Int]>([])
        let leases = InProcessLeaseProvider()
        let harness = try TestHarness(
            [slowBackfill("fill", total: 2_000, processed: processed), counting("after")], leaseProvider: leases,
            controlPollInterval: .milliseconds(20))
        async let first = harness.runner.runPending(context: harness.app)
        try await waitUntil("a few batches ran") { processed.value.count >= 100 }
        let request = MigrationControl(.pause, reason: "replica lag", by: "alice")
        try await harness.store.requestControl(request, of: "fill")
        let results = try await first
        #expect(results.map(\.status) == [.paused], "runPending stops at the paused migration")
        #expect(results.first?.control == request)
        #expect(results.first?.error == nil, "a pause is not a failure")
        #expect(harness.app.count("after.up") == 0)
        #expect(leases.holder(of: "fill") == nil, "the lease was released")
        let state = try await harness.store.state(of: "fill")
        #expect(state.lastError == nil)
        let checkpoint = try #require(state.checkpoint)
        #expect(checkpoint.completed == processed.value.count, "the checkpoint is the last processed batch")
        let statuses = try await harness.runner.status(context: harness.app)
        #expect(statuses.first?.state == .paused)
        #expect(statuses.first?.control == request)

        let again = try await harness.runner.runPending(context: harness.app)
        #expect(again.map(\.status) == [.paused], "still paused: nothing ran")
        #expect(again.first?.attempts == 0)
        #expect(processed.value.count == checkpoint.completed)

        #expect(try await harness.store.clearControl(of: "fill", expecting: nil) == request)
        let resumed = try await harness.runner.runPending(context: harness.app)
        #expect(resumed.map(\.status) == [.completed, .completed])
        #expect(resumed.first?.resumedFrom?.completed == checkpoint.completed)
        #expect(processed.value == Array(0..<2_000), "every item once")
    }

    @Test("cancel while running: recorded as cancelled with who and why, the request consumed, the checkpoint kept")
    func cancelWhileRunning() async throws {
        let processed = Shared<[Int]>([])
        let harness = try TestHarness(
            [slowBackfill("fill", total: 2_000, processed: processed)], controlPollInterval: .milliseconds(20))
        async let first = harness.runner.run("fill", context: harness.app)
        try await waitUntil("a few batches ran") { processed.value.count >= 100 }
        try await harness.store.requestControl(
            MigrationControl(.cancel, reason: "wrong column", by: "bob"), of: "fill")
        let result = try await first
        #expect(result.status == .failed)
        #expect(result.failure == .cancelled)
        #expect(result.error?.hasPrefix("cancelled by bob at ") == true)
        #expect(result.error?.hasSuffix(": wrong column") == true)
        #expect(result.control?.by == "bob")
        #expect(try await harness.store.control(of: "fill") == nil, "the honoured cancel is consumed")
        let state = try await harness.store.state(of: "fill")
        #expect(state.lastFailure?.control?.reason == "wrong column")
        #expect(state.checkpoint?.completed == processed.value.count)

        let later = try await harness.runner.run("fill", context: harness.app)
        #expect(later.status == .completed)
        #expect(later.resumedFrom != nil)
        #expect(processed.value == Array(0..<2_000))
    }

    @Test("a pause asked before the attempt starts: run does not start the step and reports paused")
    func pauseBeforeStart() async throws {
        let harness = try TestHarness([counting("later")])
        try await harness.store.requestControl(MigrationControl(.pause, by: "carol"), of: "later")
        let result = try await harness.runner.run("later", context: harness.app)
        #expect(result.status == .paused)
        #expect(harness.app.count("later.up") == 0)
        try await harness.store.requestControl(MigrationControl(.cancel, by: "carol"), of: "later")
        let cancelled = try await harness.runner.run("later", context: harness.app)
        #expect(cancelled.failure == .cancelled)
        #expect(harness.app.count("later.up") == 0)
        #expect(try await harness.runner.run("later", context: harness.app).status == .completed)
    }

    @Test("files: a pause written to the state directory reaches the running attempt through the control poll")
    func pauseThroughFiles() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try FileMigrationBackend(directory: directory)
        let processed = Shared<[Int]>([])
        let harness = try TestHarness(
            [slowBackfill("fill", total: 2_000, processed: processed)], store: files.stateStore,
            leaseProvider: files.leaseProvider, controlPollInterval: .milliseconds(20))
        async let first = harness.runner.run("fill", context: harness.app)
        try await waitUntil("a few batches ran") { processed.value.count >= 100 }
        // Another process would write the file; a second store on the same directory does the same.
        try await FileStateStore(directory: directory).requestControl(MigrationControl(.pause, by: "dave"), of: "fill")
        #expect(try await first.status == .paused)
        #expect(FileManager.default.fileExists(atPath: directory + "/fill.control"))
        #expect(try await files.stateStore.state(of: "fill").checkpoint?.completed == processed.value.count)
        #expect(files.leaseProvider.holder(of: "fill") == nil)
    }
}

@Suite("Run history", .timeLimit(.minutes(1)))
struct HistoryTests {
    @Test("every recorded attempt is kept newest first, capped, in memory and in files")
    func historyIsCappedNewestFirst() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stores: [any MigrationStateStore] = [
            InMemoryStateStore(historyLimit: 3), try FileStateStore(directory: directory, historyLimit: 3),
        ]
        for store in stores {
            let failing = Shared(true)
            let migration = ClosureMigration<TestApp>(
                name: "flaky",
                up: { _ in
                    if failing.value { throw TestSetupError(message: "not yet") }
                }, down: { _ in })
            let harness = try TestHarness([migration], store: store)
            for _ in 0..<3 { _ = try await harness.runner.run("flaky", context: harness.app) }
            failing.set(false)
            _ = try await harness.runner.run("flaky", context: harness.app)
            _ = try await harness.runner.rollback("flaky", context: harness.app)
            let history = try await store.history(of: "flaky", limit: 10)
            #expect(history.map(\.status) == [.rolledBack, .completed, .failed], "\(type(of: store))")
            #expect(history[1].attempts == 4)
            #expect(try await store.history(of: "flaky", limit: 1).count == 1)
        }
    }
}
