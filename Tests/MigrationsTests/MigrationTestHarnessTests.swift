import Logging
import Migrations
import MigrationsTestSupport
import Testing

/// The harness applications test their own migrations with, used as an application would.
@Suite("MigrationTestHarness, as an application's tests use it", .timeLimit(.minutes(1)))
struct MigrationTestHarnessTests {
    /// An application context: what the migrations wrote.
    final class Notes: Sendable {
        let written = Shared<[String]>([])
    }

    private static let write = ClosureMigration<Notes>(name: "2025-01-01-write-note") { context in
        context.logger.info("writing the note")
        context.app.written.update { $0.append("note") }
    } down: { context in
        context.app.written.update { $0.removeAll() }
    }

    private static let broken = ClosureMigration<Notes>(name: "2025-01-02-broken") { _ in
        throw MigrationExpectationFailure("the table is missing")
    }

    @Test("runs, rolls back and reads the state back; the log is captured")
    func runsAndReadsBack() async throws {
        let notes = Notes()
        let harness = try MigrationTestHarness([Self.write], app: notes)

        let result = try await harness.run("2025-01-01-write-note")
        try harness.require(result, is: .completed)
        try await harness.requireCompleted("2025-01-01-write-note")
        #expect(notes.written.value == ["note"])
        #expect(harness.loggedMessages.contains("writing the note"), "\(harness.loggedMessages)")
        let again = try await harness.runPending()
        #expect(again.allSatisfy { $0.status == .skipped }, "\(again)")
        #expect(notes.written.value == ["note"], "a completed migration never runs again")

        try harness.require(try await harness.rollback("2025-01-01-write-note"), is: .rolledBack)
        #expect(notes.written.value.isEmpty)
        #expect(try await harness.state(of: "2025-01-01-write-note").isCompleted == false)
    }

    @Test("a failed migration fails the requirements with its name, its status and its error")
    func failuresNameTheProblem() async throws {
        let harness = try MigrationTestHarness([Self.broken], app: Notes())
        let result = try await harness.run("2025-01-02-broken")

        let mismatch = #expect(throws: MigrationExpectationFailure.self) {
            try harness.require(result, is: .completed)
        }
        #expect(mismatch?.description.contains("2025-01-02-broken ended failed, expected completed") == true)
        #expect(mismatch?.description.contains("the table is missing") == true, "\(String(describing: mismatch))")

        let notCompleted = await #expect(throws: MigrationExpectationFailure.self) {
            try await harness.requireCompleted("2025-01-02-broken")
        }
        #expect(notCompleted?.description.contains("its last error: ") == true, "\(String(describing: notCompleted))")
    }

    @Test("with a ManualClock, a timeout fires when the test advances the clock, not before")
    func manualClockDrivesTheTimeout() async throws {
        let clock = ManualClock()
        let started = Shared(false)
        let slow = ClosureMigration<Notes>(name: "2025-01-03-slow") { _ in
            started.set(true)
            try await Task.sleep(for: .seconds(3600))
        }
        let harness = try MigrationTestHarness(
            [slow], app: Notes(), configuration: .init(triggeredBy: "tests", clock: clock))

        async let running = harness.run("2025-01-03-slow", options: .init(timeout: .seconds(60)))
        try await waitUntil("the step started") { started.value }
        clock.advance(by: .seconds(60))
        let result = try await running
        try harness.require(result, is: .failed)
        #expect(result.failure == .timeout)
    }
}
