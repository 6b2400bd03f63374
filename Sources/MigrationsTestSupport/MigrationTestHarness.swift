public import InMemoryLogging
import Logging
public import Migrations

/// A runner over in-memory state, with its log captured: what an application needs to test its own
/// migrations without Redis or files.
///
/// ```swift
/// let clock = ManualClock()
/// let harness = try MigrationTestHarness(
///     [BackfillOrderTotals()], app: try await TestDatabase.make(),
///     configuration: .init(triggeredBy: "tests", clock: clock))
/// let result = try await harness.run("2025-04-02-backfill-order-totals")
/// try harness.require(result, is: .completed)
/// try await harness.requireCompleted("2025-04-02-backfill-order-totals")
/// #expect(harness.loggedMessages.contains("backfill done"))
/// ```
///
/// Time-based behaviour (progress intervals, checkpoint writes, throttling, timeouts) follows the clock
/// of the configuration: pass a ``ManualClock`` and advance it to test it without waiting.
public struct MigrationTestHarness<App: Sendable>: Sendable {
    /// The application context every run gets.
    public let app: App
    /// Where the runner keeps state: an ``InMemoryStateStore`` unless the test passed another.
    public let store: any MigrationStateStore
    /// Everything the runner and the migrations logged.
    public let logs: InMemoryLogHandler
    /// The runner.
    public let runner: MigrationRunner<App>

    /// Creates a runner over the migrations, in their order.
    ///
    /// - Parameters:
    ///   - migrations: The migrations, in the order they run.
    ///   - app: The application context.
    ///   - store: The state store; a fresh ``InMemoryStateStore`` by default.
    ///   - leaseProvider: The leases; a fresh ``InProcessLeaseProvider`` by default.
    ///   - configuration: The runner's configuration; its `clock` drives every interval.
    /// - Throws: `MigrationError` when two migrations share a name or a name is invalid.
    public init(
        _ migrations: [any Migration<App>],
        app: App,
        store: some MigrationStateStore = InMemoryStateStore(),
        leaseProvider: some MigrationLeaseProvider = InProcessLeaseProvider(),
        configuration: MigrationRunner<App>.Configuration = .init(triggeredBy: "tests")
    ) throws {
        self.app = app
        self.store = store
        let handler = InMemoryLogHandler()
        self.logs = handler
        runner = MigrationRunner(
            registry: try MigrationRegistry(migrations),
            backend: TestMigrationBackend(stateStore: store, leaseProvider: leaseProvider),
            logger: Logger(label: "migrations-test") { _ in handler },
            configuration: configuration)
    }

    // MARK: - Running

    /// Runs one migration's `up`, as the application would.
    ///
    /// - Parameters:
    ///   - name: The migration's name.
    ///   - options: Dry run, timeout, waiting.
    /// - Returns: The recorded result.
    /// - Throws: `MigrationError` for an unknown name or a refused run.
    public func run(_ name: String, options: MigrationRunOptions = MigrationRunOptions()) async throws
        -> MigrationResult
    {
        try await runner.run(name, context: app, options: options)
    }

    /// Runs every pending migration in order.
    ///
    /// - Parameter options: Dry run, timeout, continue-on-error, waiting.
    /// - Returns: One result per migration attempted or skipped.
    /// - Throws: `MigrationError` for a refused run.
    public func runPending(options: MigrationRunOptions = MigrationRunOptions()) async throws -> [MigrationResult] {
        try await runner.runPending(context: app, options: options)
    }

    /// Runs one migration's `down`.
    ///
    /// - Parameters:
    ///   - name: The migration's name.
    ///   - options: Dry run, timeout, waiting.
    /// - Returns: The recorded result.
    /// - Throws: `MigrationError` for an unknown name, a migration without `down` or a refused run.
    public func rollback(_ name: String, options: MigrationRunOptions = MigrationRunOptions()) async throws
        -> MigrationResult
    {
        try await runner.rollback(name, context: app, options: options)
    }

    // MARK: - Reading back

    /// What the store holds for one migration.
    ///
    /// - Parameter name: The migration's name.
    /// - Returns: Its stored state.
    /// - Throws: The store's error.
    public func state(of name: String) async throws -> StoredMigrationState {
        try await store.state(of: name)
    }

    /// Every message logged so far, in order.
    public var loggedMessages: [String] {
        logs.entries.map { $0.message.description }
    }

    // MARK: - Assertions

    /// Fails unless `result` has the expected status, naming the migration, its status and its error.
    ///
    /// - Parameters:
    ///   - result: A run's result.
    ///   - status: The status it should have.
    /// - Throws: ``MigrationExpectationFailure`` describing the difference.
    public func require(_ result: MigrationResult, is status: MigrationResult.Status)
        throws(MigrationExpectationFailure)
    {
        guard result.status != status else { return }
        throw MigrationExpectationFailure(
            "\(result.name) ended \(result.status.rawValue), expected \(status.rawValue)"
                + (result.error.map { ": \($0)" } ?? ""))
    }

    /// Fails unless the store records `name` as completed.
    ///
    /// - Parameter name: The migration's name.
    /// - Throws: ``MigrationExpectationFailure`` with what the store holds instead, or the store's error.
    public func requireCompleted(_ name: String) async throws {
        let state = try await state(of: name)
        guard !state.isCompleted else { return }
        throw MigrationExpectationFailure(
            "\(name) is not recorded as completed"
                + (state.lastError.map { "; its last error: \($0)" } ?? "; it has no recorded error"))
    }
}

/// A test expectation about a migration that did not hold, with what was found instead.
///
/// Thrown by ``MigrationTestHarness``'s `require` methods, so that a test fails with the reason under
/// Swift Testing and XCTest alike.
public struct MigrationExpectationFailure: Error, CustomStringConvertible {
    /// What was expected and what was found.
    public let description: String

    /// Creates a failure.
    ///
    /// - Parameter description: What was expected and what was found.
    public init(_ description: String) {
        self.description = description
    }
}
