import Foundation
import InMemoryLogging
import Logging
import Migrations
import MigrationsTestSupport
import Synchronization
import Testing

@Suite("Runner", .timeLimit(.minutes(5)))
struct RunnerTests {
    @Test("run completes a migration, records it, and skips it the second time")
    func runCompletesThenSkips() async throws {
        let harness = try TestHarness([counting("a")])
        let first = try await harness.runner.run("a", context: harness.app)
        #expect(first.status == .completed)
        #expect(first.triggeredBy == "tests")
        #expect(first.attempts == 1)
        #expect(first.pid == ProcessInfo.processInfo.processIdentifier)
        #expect(try await harness.store.isCompleted("a"))
        let second = try await harness.runner.run("a", context: harness.app)
        #expect(second.status == .skipped)
        #expect(harness.app.count("a.up") == 1)
    }

    @Test("skipCompleted false runs a completed migration again and counts the attempt")
    func skipCompletedFalseRunsAgain() async throws {
        let harness = try TestHarness([counting("a")])
        _ = try await harness.runner.run("a", context: harness.app)
        let again = try await harness.runner.run("a", context: harness.app, options: .init(skipCompleted: false))
        #expect(again.status == .completed)
        #expect(again.attempts == 2)
        #expect(harness.app.count("a.up") == 2)
    }

    @Test("a dry run validates and runs up with dryRun set, and writes no state")
    func dryRunWritesNothing() async throws {
        let harness = try TestHarness([counting("a", validate: .valid(warnings: ["careful"]))])
        let result = try await harness.runner.run("a", context: harness.app, options: .init(dryRun: true))
        #expect(result.status == .dryRun)
        #expect(result.warnings == ["careful"])
        #expect(harness.app.count("a.up.dry") == 1)
        #expect(harness.app.count("a.up") == 0)
        #expect(try await harness.store.state(of: "a") == .pending)
    }

    @Test("a dry run of a failing migration records no failure")
    func dryRunFailureWritesNothing() async throws {
        let harness = try TestHarness([counting("a") { _ in throw StepError.boom }])
        let result = try await harness.runner.run("a", context: harness.app, options: .init(dryRun: true))
        #expect(result.status == .failed)
        #expect(try await harness.store.state(of: "a") == .pending)
    }

    @Test("a timeout cancels up and records a timeout failure")
    func timeoutCancelsAndRecords() async throws {
        let cancelled = Flag()
        let clock = ManualClock()
        let harness = try TestHarness(
            [
                counting("slow") { _ in
                    do { try await Task.sleep(for: .seconds(30)) } catch { cancelled.set() }
                }
            ], clock: clock)
        async let running = harness.runner.run("slow", context: harness.app, options: .init(timeout: .seconds(60)))
        try await pollUntil { harness.app.count("slow.up") == 1 }
        #expect(!cancelled.isSet, "cancelled before the clock reached the timeout")
        clock.advance(by: .seconds(60))
        let result = try await running
        #expect(result.status == .failed)
        #expect(result.failure == .timeout)
        #expect(result.duration < 10)
        #expect(cancelled.isSet)
        #expect(result.error?.contains("ignored cancellation") == false, "\(result.error ?? "")")
        let state = try await harness.store.state(of: "slow")
        #expect(state.isCompleted == false)
        #expect(state.lastError?.contains("did not finish within") == true)
        #expect(harness.runner.runningMigrations.isEmpty)
    }

    @Test("a failure stops runPending unless continueOnError is set")
    func continueOnErrorDecidesWhetherToGoOn() async throws {
        let migrations: [any Migration<TestApp>] = [
            counting("a"), counting("b") { _ in throw StepError.boom }, counting("c"),
        ]
        let stopping = try TestHarness(migrations)
        let stopped = try await stopping.runner.runPending(context: stopping.app)
        #expect(stopped.map(\.status) == [.completed, .failed])
        #expect(stopping.app.count("c.up") == 0)

        let going = try TestHarness(migrations)
        let all = try await going.runner.runPending(context: going.app, options: .init(continueOnError: true))
        #expect(all.map(\.status) == [.completed, .failed, .completed])
        #expect(all[1].error == "boom")
        #expect(try await going.store.state(of: "b").lastError == "boom")
    }

    @Test("runPending skips what is completed and runs what failed before")
    func runPendingRunsOnlyWhatIsLeft() async throws {
        let failOnce = Flag()
        let harness = try TestHarness([
            counting("a"),
            counting("b") { _ in
                if !failOnce.isSet {
                    failOnce.set()
                    throw StepError.boom
                }
            },
        ])
        _ = try await harness.runner.runPending(context: harness.app)
        let second = try await harness.runner.runPending(context: harness.app)
        #expect(second.map(\.name) == ["b"])
        #expect(second.first?.status == .completed)
        #expect(second.first?.attempts == 2)
        #expect(try await harness.store.state(of: "b").lastError == nil)
    }

    @Test("an invalid validation stops the migration before up, with the validator's message")
    func invalidValidationStopsBeforeUp() async throws {
        let harness = try TestHarness([counting("a", validate: .invalid("users table missing", warnings: ["w1"]))])
        let result = try await harness.runner.run("a", context: harness.app)
        #expect(result.status == .failed)
        #expect(result.failure == .validation)
        #expect(result.error == "validation failed: users table missing")
        #expect(result.warnings == ["w1"])
        #expect(harness.app.count("a.up") == 0)
    }

    @Test("validation warnings are logged and returned")
    func warningsAreLoggedAndReturned() async throws {
        let harness = try TestHarness([counting("a", validate: .valid(warnings: ["3 tenants skipped"]))])
        let result = try await harness.runner.run("a", context: harness.app)
        #expect(result.status == .completed)
        #expect(result.warnings == ["3 tenants skipped"])
        let warning = harness.logs.entries.first { $0.level == .warning }
        #expect(warning?.message.description == "validation warning: 3 tenants skipped")
        #expect(warning?.metadata["migration.name"] == "a")
    }

    @Test("rollback runs down and makes the migration pending again")
    func rollbackRunsDownAndClearsCompletion() async throws {
        let harness = try TestHarness([counting("a")])
        _ = try await harness.runner.run("a", context: harness.app)
        let result = try await harness.runner.rollback("a", context: harness.app)
        #expect(result.status == .rolledBack)
        #expect(harness.app.count("a.down") == 1)
        #expect(try await harness.store.isCompleted("a") == false)
        let status = try await harness.runner.status(context: harness.app)
        #expect(status.first?.state == .pending)
        let rerun = try await harness.runner.run("a", context: harness.app)
        #expect(rerun.status == .completed)
    }

    @Test("rollback of a migration without down is refused and changes nothing")
    func rollbackWithoutDownIsRefused() async throws {
        let harness = try TestHarness([counting("a", withDown: false)])
        _ = try await harness.runner.run("a", context: harness.app)
        let error = await #expect(throws: MigrationError.self) {
            try await harness.runner.rollback("a", context: harness.app)
        }
        #expect(error?.code == .rollbackNotSupported)
        #expect(error?.message.contains("has no down step") == true)
        #expect(try await harness.store.isCompleted("a"))
        #expect(harness.runner.runningMigrations.isEmpty)
    }

    @Test("a struct migration without down cannot be rolled back either")
    func structWithoutDownIsRefused() async throws {
        struct OnlyUp: Migration {
            let name = "only-up"
            func up(_ context: MigrationContext<TestApp>) async throws {}
        }
        let harness = try TestHarness([OnlyUp()])
        _ = try await harness.runner.run("only-up", context: harness.app)
        let error = await #expect(throws: MigrationError.self) {
            try await harness.runner.rollback("only-up", context: harness.app)
        }
        #expect(error?.code == .rollbackNotSupported)
    }

    @Test("rollback of a migration that never completed is refused")
    func rollbackOfPendingIsRefused() async throws {
        let harness = try TestHarness([counting("a")])
        let error = await #expect(throws: MigrationError.self) {
            try await harness.runner.rollback("a", context: harness.app)
        }
        #expect(error?.code == .notCompleted)
        #expect(harness.app.count("a.down") == 0)
    }

    @Test("an unknown name is refused with the known names")
    func unknownNameIsRefused() async throws {
        let harness = try TestHarness([counting("a")])
        let error = await #expect(throws: MigrationError.self) {
            try await harness.runner.run("nope", context: harness.app)
        }
        #expect(error?.message == "unknown migration 'nope'; known: 'a'")
    }

    @Test("two concurrent runs of one name in one process: one runs, one is refused as already running")
    func concurrentRunsInOneProcess() async throws {
        let gate = Flag()
        let harness = try TestHarness([
            counting("a") { _ in
                while !gate.isSet { try await Task.sleep(for: .milliseconds(5)) }
            }
        ])
        async let first = harness.runner.run("a", context: harness.app)
        try await pollUntil { !harness.runner.runningMigrations.isEmpty }
        let error = await #expect(throws: MigrationError.self) {
            try await harness.runner.run("a", context: harness.app)
        }
        #expect(error?.code == .alreadyRunning)
        #expect(error?.message.contains("already running in this process") == true)
        gate.set()
        #expect(try await first.status == .completed)
        #expect(harness.app.count("a.up") == 1)
        #expect(harness.runner.runningMigrations.isEmpty)
    }

    @Test("the running set is cleared after a failure and after cancellation")
    func runningSetIsClearedOnEveryPath() async throws {
        let harness = try TestHarness([
            counting("fails") { _ in throw StepError.boom },
            counting("hangs") { _ in try await Task.sleep(for: .seconds(30)) },
        ])
        _ = try await harness.runner.run("fails", context: harness.app)
        #expect(harness.runner.runningMigrations.isEmpty)

        let task = Task { try await harness.runner.run("hangs", context: harness.app) }
        while harness.app.count("hangs.up") == 0 { try await Task.sleep(for: .milliseconds(1)) }
        task.cancel()
        let result = try await task.value
        #expect(result.failure == .cancelled)
        #expect(harness.runner.runningMigrations.isEmpty)
        #expect(try await harness.store.state(of: "hangs").lastError?.contains("cancelled") == true)
        let again = try await harness.runner.run("fails", context: harness.app)
        #expect(again.status == .failed)
    }

    @Test("a step that ignores cancellation after the timeout keeps the lease until it returns, and says so")
    func stubbornStepKeepsTheLease() async throws {
        let clock = ManualClock()
        let sawCancellation = Flag()
        let leases = InProcessLeaseProvider()
        let stubborn = counting("stubborn") { _ in
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            sawCancellation.set()
            let end = ContinuousClock.now + .milliseconds(6000)
            while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(5)) }
        }
        let harness = try TestHarness([stubborn], leaseProvider: leases, clock: clock)
        async let running = harness.runner.run("stubborn", context: harness.app, options: .init(timeout: .seconds(1)))
        try await pollUntil { harness.app.count("stubborn.up") == 1 }
        clock.advance(by: .seconds(1))
        try await pollUntil { sawCancellation.isSet }
        #expect(leases.holder(of: "stubborn") != nil, "the lease was released while the step still ran")
        let result = try await running
        #expect(result.failure == .timeout)
        #expect(result.error?.contains("the step ignored cancellation for") == true, "\(result.error ?? "")")
        #expect(leases.holder(of: "stubborn") == nil)
    }

    @Test("a run cancelled before its step starts throws cancelled, records nothing and frees the lease")
    func cancelledBeforeTheStepRecordsNothing() async throws {
        let leases = InProcessLeaseProvider()
        let harness = try TestHarness([counting("a")], leaseProvider: leases)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await harness.runner.run("a", context: harness.app)
        }
        let error = await #expect(throws: MigrationError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        #expect(harness.app.count("a.up") == 0)
        #expect(try await harness.store.state(of: "a").lastError == nil)
        #expect(try await harness.store.state(of: "a").lastResult == nil)
        #expect(leases.holder(of: "a") == nil)
        #expect(harness.runner.runningMigrations.isEmpty)
    }

    @Test("a lease held elsewhere is refused at once with .fail and named in the error")
    func leaseHeldElsewhereIsRefused() async throws {
        let leases = InProcessLeaseProvider()
        let harness = try TestHarness([counting("a")], leaseProvider: leases)
        let holder = LeaseHolder(host: "replica-2", pid: 42, triggeredBy: "startup")
        let lease = try await leases.hold("a", as: holder)
        let error = await #expect(throws: MigrationError.self) {
            try await harness.runner.run("a", context: harness.app, options: .init(whenHeldElsewhere: .fail))
        }
        #expect(error?.code == .heldElsewhere)
        #expect(error?.message.contains("replica-2 pid 42") == true)
        try await lease.release()
        #expect(try await harness.runner.run("a", context: harness.app).status == .completed)
    }

    @Test("a waiting run proceeds when the holder releases")
    func waitingRunProceedsAfterRelease() async throws {
        let leases = InProcessLeaseProvider()
        let harness = try TestHarness([counting("a")], leaseProvider: leases)
        let holder = LeaseHolder(host: "other", pid: 1, triggeredBy: "x")
        let lease = try await leases.hold("a", as: holder)
        async let result = harness.runner.run(
            "a", context: harness.app, options: .init(whenHeldElsewhere: .wait(timeout: .seconds(10))))
        try await Task.sleep(for: .milliseconds(150))
        #expect(harness.app.count("a.up") == 0)
        try await lease.release()
        #expect(try await result.status == .completed)
    }

    @Test("the context carries the logger metadata, metadata, triggeredBy and fencing token")
    func contextCarriesEverything() async throws {
        let seen = Box<MigrationContext<TestApp>?>(nil)
        let harness = try TestHarness([counting("a") { context in seen.set(context) }])
        _ = try await harness.runner.run(
            "a", context: harness.app, options: .init(triggeredBy: "alice", metadata: ["ticket": "OPS-1"]))
        let context = try #require(seen.value)
        #expect(context.logger[metadataKey: "migration.name"] == "a")
        #expect(context.metadata == ["ticket": "OPS-1"])
        #expect(context.triggeredBy == "alice")
        #expect(context.dryRun == false)
        #expect(context.fencingToken == 1)
    }

    @Test("state hooks replace the store for their migration")
    func stateHooksReplaceTheStore() async throws {
        let marked = Box<[String]>([])
        let hooks = MigrationStateHooks<TestApp>(
            isCompleted: { _ in marked.value.contains("complete") },
            markComplete: { _, _ in marked.set(marked.value + ["complete"]) },
            markFailed: { _, _ in marked.set(marked.value + ["failed"]) }
        )
        let migration = ClosureMigration<TestApp>(name: "hooked", up: { $0.app.record("hooked.up") }, stateHooks: hooks)
        let harness = try TestHarness([migration])
        #expect(try await harness.runner.run("hooked", context: harness.app).status == .completed)
        #expect(try await harness.runner.run("hooked", context: harness.app).status == .skipped)
        #expect(marked.value == ["complete"])
        #expect(try await harness.store.state(of: "hooked") == .pending)
        let status = try await harness.runner.status(context: harness.app)
        #expect(status.first?.state == .completed)
    }

    @Test("results encode to JSON and decode back")
    func resultsRoundTripThroughJSON() async throws {
        let harness = try TestHarness([counting("a", validate: .valid(warnings: ["w"]))])
        let result = try await harness.runner.run("a", context: harness.app)
        let decoded = try MigrationResult.decode(from: result.jsonData())
        #expect(decoded.name == result.name)
        #expect(decoded.status == result.status)
        #expect(decoded.warnings == ["w"])
        #expect(decoded.fencingToken == 1)
        let json = String(decoding: try result.jsonData(), as: UTF8.self)
        #expect(json.contains("\"status\":\"completed\""))
    }
}

// MARK: - Helpers

enum StepError: Error, CustomStringConvertible {
    case boom
    var description: String { "boom" }
}

final class Flag: Sendable {
    private let value = Box(false)
    func set() { value.set(true) }
    var isSet: Bool { value.value }
}

final class Box<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value { storage.withLock { $0 } }
    func set(_ value: Value) { storage.withLock { $0 = value } }
}
