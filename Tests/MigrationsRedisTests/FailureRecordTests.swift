import Foundation
import Migrations
import MigrationsRedis
import RedisClient
import RedisTestSupport
import Testing

@Suite("Failure records", .timeLimit(.minutes(5)))
struct FailureRecordTests {
    @Test("a failure after a reset records its own run under :failure; status shows it, not the older success")
    func failureRecordIsTheRunThatFailed() async throws {
        let succeeding = try await RedisHarness.start([countingMigration("a")])
        let failing = try await RedisHarness.start([countingMigration("a", fail: true)], server: succeeding.server)
        let first = try await succeeding.runner.run("a", context: succeeding.app)
        #expect(first.attempts == 1)
        try await succeeding.backend.stateStore.reset("a")

        let failed = try await failing.runner.run("a", context: failing.app, options: .init(triggeredBy: "deploy-9"))
        #expect(failed.status == .failed)
        #expect(failed.attempts == 2)
        #expect(try await succeeding.get("migration:a:error") == "deliberate failure")
        let stored = try MigrationResult.decode(
            from: Data(try #require(try await succeeding.server.command("GET", "migration:a:failure").bytes)))
        #expect(stored.status == .failed)
        #expect(stored.failure == .error)
        #expect(stored.triggeredBy == "deploy-9")
        #expect(stored.attempts == 2)
        #expect(stored.fencingToken == 2)
        #expect(abs(stored.startedAt.timeIntervalSince(failed.startedAt)) < 1, "ISO 8601 keeps whole seconds")

        let state = try await succeeding.backend.stateStore.state(of: "a")
        #expect(state.lastResult?.status == .completed, "the older success stays as history")
        let row = MigrationStatusRow(name: "a", stored: state)
        #expect(row.state == .failed)
        #expect(row.triggeredBy == "deploy-9")
        #expect(row.failure == .error)
        #expect(row.duration == stored.duration)
        #expect(row.finishedAt == stored.finishedAt)
        #expect(row.attempts == 2)

        let inspected = try await RedisMigrationInspector(connection: succeeding.backend.connection).states(for: ["a"])
        #expect(MigrationStatusRow(name: "a", stored: inspected[0].state) == row, "the operator tool shows the same")

        let again = try await succeeding.runner.run("a", context: succeeding.app)
        #expect(again.status == .completed)
        #expect(again.attempts == 3)
        #expect(try await succeeding.server.command("EXISTS", "migration:a:failure", "migration:a:error").int == 0)
    }

    @Test("a first-time failure records when, how long, who and the attempt")
    func firstFailureHasItsDetails() async throws {
        let harness = try await RedisHarness.start([countingMigration("b", fail: true)])
        _ = try await harness.runner.run("b", context: harness.app, options: .init(triggeredBy: "deploy-9"))
        let row = MigrationStatusRow(name: "b", stored: try await harness.backend.stateStore.state(of: "b"))
        #expect(row.state == .failed)
        #expect(row.triggeredBy == "deploy-9")
        #expect(row.finishedAt != nil)
        #expect(row.duration != nil)
        #expect(row.attempts == 1)
        #expect(row.error == "deliberate failure")
    }

    @Test("the file store keeps the failure record beside .error, and a success removes both")
    func fileStoreKeepsTheFailureRecord() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("failure-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try FileStateStore(directory: directory)
        var failed = MigrationResult(
            name: "c", status: .failed, failure: .timeout, startedAt: Date(timeIntervalSinceNow: -3),
            finishedAt: Date(), error: "timed out", triggeredBy: "deploy-9", host: "h", pid: 1, attempts: 1)
        _ = try await store.markFailed(failed, fence: nil)
        var state = try await store.state(of: "c")
        #expect(state.lastFailure?.failure == .timeout && state.lastFailure?.triggeredBy == "deploy-9")
        #expect(MigrationStatusRow(name: "c", stored: state).failure == .timeout)
        #expect(state.attemptsSoFar == 1)

        failed.status = .completed
        failed.failure = nil
        failed.error = nil
        failed.attempts = 2
        _ = try await store.markCompleted(failed, fence: nil)
        state = try await store.state(of: "c")
        #expect(state.lastFailure == nil && state.lastError == nil)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/c.failure"))
    }
}
