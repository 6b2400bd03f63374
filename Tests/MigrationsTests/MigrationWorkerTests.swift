import Foundation
import InMemoryLogging
import Logging
import Migrations
import MigrationsTestSupport
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@testable import MigrationsLifecycle

@Suite("Background migrations and the worker", .timeLimit(.minutes(1)))
struct MigrationWorkerTests {
    private func worker(_ harness: TestHarness, poll: Duration = .milliseconds(20)) -> MigrationWorker<TestApp> {
        let handler = harness.logs
        return MigrationWorker(
            runner: harness.runner, context: harness.app,
            configuration: .init(pollInterval: poll, options: .init(triggeredBy: "worker")),
            logger: Logger(label: "worker") { _ in handler })
    }

    private func logged(_ harness: TestHarness, _ prefix: String) -> Bool {
        harness.logs.entries.contains { $0.message.description.hasPrefix(prefix) }
    }

    /// Runs `worker` as a service until `body` returns, then shuts it down gracefully and waits for it.
    private func running(
        _ worker: MigrationWorker<TestApp>, _ body: @Sendable () async throws -> Void
    ) async throws {
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                do {
                    try await body()
                } catch {
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                    throw error
                }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test("start-up runs the migrations that must run before serving and passes over the background ones")
    func startUpPassesOverBackground() async throws {
        let harness = try TestHarness([
            counting("a"), counting("b", schedule: .inBackground), counting("c"),
        ])
        let startUp = try await harness.runner.runBeforeServing(context: harness.app)
        #expect(startUp.map(\.name) == ["a", "c"])
        #expect(harness.app.count("b.up") == 0)
        let all = try await harness.runner.runPending(context: harness.app)
        #expect(all.map(\.name) == ["b"], "runPending runs the background ones too")
    }

    @Test("the worker waits for the start-up migrations registered before, then runs the background ones in order")
    func workerKeepsTheOrder() async throws {
        let harness = try TestHarness([
            counting("a"), counting("b", schedule: .inBackground), counting("c"),
            counting("d", schedule: .inBackground),
        ])
        try await running(worker(harness)) {
            try await waitUntil("the worker waits for a") {
                logged(harness, "background migrations: waiting for 'a': it runs before serving")
            }
            #expect(harness.app.count("b.up") == 0, "a background migration ran before an earlier start-up one")
            let startUp = try await harness.runner.runBeforeServing(context: harness.app)
            #expect(startUp.map(\.status) == [.completed, .completed])
            try await waitUntil("the worker ran d") { try await harness.store.state(of: "d").isCompleted }
            try await waitUntil("the worker says it is done") {
                logged(harness, "background migrations: every one has completed")
            }
        }
        #expect(harness.app.count("b.up") == 1)
        #expect(harness.app.count("d.up") == 1)
        let b = try #require(try await harness.store.state(of: "b").lastResult)
        let d = try #require(try await harness.store.state(of: "d").lastResult)
        #expect(b.finishedAt <= d.startedAt, "d started before b finished")
        #expect(b.triggeredBy == "worker")
    }

    @Test(
        "a graceful shutdown mid-backfill writes the checkpoint, frees the lease, records nothing; another worker resumes"
    )
    func shutdownLeavesItResumable() async throws {
        let processed = Shared<[Int]>([])
        let store = InMemoryStateStore()
        let leases = InProcessLeaseProvider()
        let migrations = [slowBackfill("fill", total: 3_000, processed: processed, schedule: .inBackground)]
        let first = try TestHarness(migrations, store: store, leaseProvider: leases)
        try await running(worker(first)) {
            try await waitUntil("a few batches ran") { processed.value.count >= 200 }
        }
        #expect(leases.holder(of: "fill") == nil, "the lease outlived the shutdown")
        let state = try await store.state(of: "fill")
        #expect(!state.isCompleted)
        #expect(state.lastError == nil, "a shutdown is not a failure: \(state.lastError ?? "")")
        let checkpoint = try #require(state.checkpoint, "no checkpoint written at the shutdown")
        #expect(checkpoint.completed == processed.value.count, "the checkpoint is the last processed batch")
        #expect(logged(first, "migration interrupted"))

        let second = try TestHarness(migrations, store: store, leaseProvider: leases)
        try await running(worker(second)) {
            try await waitUntil("the second worker completed it") { try await store.state(of: "fill").isCompleted }
        }
        #expect(processed.value == Array(0..<3_000), "every item exactly once")
        let result = try #require(try await store.state(of: "fill").lastResult)
        #expect(result.resumedFrom?.completed == checkpoint.completed)
        #expect(result.attempts == 2)
    }

    @Test("the worker waits while a migration is paused and continues from the checkpoint once it is resumed")
    func pausedThenResumed() async throws {
        let processed = Shared<[Int]>([])
        let harness = try TestHarness(
            [slowBackfill("fill", total: 2_000, processed: processed, schedule: .inBackground)],
            controlPollInterval: .milliseconds(20))
        try await running(worker(harness)) {
            try await waitUntil("a few batches ran") { processed.value.count >= 100 }
            let controls = MigrationControls(store: harness.store)
            _ = try await controls.pause("fill", reason: "replica lag", by: "alice")
            try await waitUntil("the worker waits for the paused migration") {
                logged(harness, "background migrations: waiting for 'fill': it is paused by alice")
            }
            let stoppedAt = processed.value.count
            #expect(try await harness.store.state(of: "fill").checkpoint?.completed == stoppedAt)
            _ = try await controls.resume("fill")
            try await waitUntil("the worker completed it") { try await harness.store.state(of: "fill").isCompleted }
        }
        #expect(processed.value == Array(0..<2_000), "every item exactly once")
    }

    @Test("a migration held by another process is waited for and taken over when its holder lets go without completing")
    func heldElsewhereIsWaitedFor() async throws {
        let leases = InProcessLeaseProvider()
        let harness = try TestHarness([counting("b", schedule: .inBackground)], leaseProvider: leases)
        let other = LeaseHolder(host: "elsewhere", pid: 1, triggeredBy: "other replica")
        let held = try await leases.hold("b", as: other)
        try await running(worker(harness)) {
            try await waitUntil("the worker tried and backed off") {
                logged(harness, "background migrations: running 'b'")
            }
            #expect(harness.app.count("b.up") == 0)
            try await held.release()
            try await waitUntil("the worker ran it") { try await harness.store.state(of: "b").isCompleted }
        }
        #expect(harness.app.count("b.up") == 1)
    }

    @Test("a failed background migration is retried after the delay; one an operator cancelled is not")
    func failuresAndCancellations() throws {
        let migrations: [any Migration<TestApp>] = [counting("a"), counting("b", schedule: .inBackground)]
        let done = StoredMigrationState(isCompleted: true)
        let now = Date()
        func failed(_ ago: TimeInterval, control: MigrationControl? = nil) -> StoredMigrationState {
            var failure = MigrationResult(
                name: "b", status: .failed, failure: control == nil ? .error : .cancelled,
                startedAt: now.addingTimeInterval(-ago - 1), finishedAt: now.addingTimeInterval(-ago),
                error: "boom", triggeredBy: "worker", host: "h", pid: 1)
            failure.control = control
            return StoredMigrationState(isCompleted: false, lastError: "boom", lastFailure: failure)
        }
        func turn(_ b: StoredMigrationState, a: StoredMigrationState = done) -> String {
            switch BackgroundTurn.next(
                in: migrations, states: ["a": a, "b": b], settled: [], retryFailuresAfter: .seconds(60), now: now)
            {
            case .run(let name): "run \(name)"
            case .wait(let name, _): "wait \(name)"
            case .finished: "finished"
            }
        }
        #expect(turn(.pending, a: .pending) == "wait a")
        #expect(turn(.pending) == "run b")
        #expect(turn(failed(10)) == "wait b")
        #expect(turn(failed(120)) == "run b")
        #expect(turn(failed(120, control: MigrationControl(.cancel, by: "bob"))) == "wait b")
        #expect(turn(done) == "finished")
        #expect(turn(StoredMigrationState.pending.with(control: MigrationControl(.pause, by: "x"))) == "wait b")
    }
}
