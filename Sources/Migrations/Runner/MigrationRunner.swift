public import CoreMetrics
import Foundation
public import Logging
import Synchronization
public import Tracing

/// Runs the migrations of a ``MigrationRegistry``: one by name, all pending, a rollback, and status.
///
/// ```swift
/// let runner = MigrationRunner(
///     registry: registry,
///     backend: try FileMigrationBackend(directory: ".migrations"),
///     logger: logger
/// )
/// let results = try await runner.runPending(context: services)
/// ```
///
/// For every migration it runs, the runner:
/// 1. refuses a migration already running in this process (``MigrationError/Code-swift.struct/alreadyRunning``);
/// 2. takes the migration's lease, waiting for another holder as ``MigrationRunOptions/whenHeldElsewhere`` says,
///    and skips it if it turns out completed;
/// 3. supervises the attempt from that moment until its outcome is recorded: the lease is renewed, progress
///    logged and the timeout enforced while `validate`, then `up` (or `down`), run; the step starts only if
///    the lease is still held; at the timeout, on a lost lease or on cancellation the running phase is
///    cancelled, and a step that ignores cancellation keeps its renewed lease until it really returns;
///    the step's checkpoint saves are written, fenced, at most once per
///    ``Configuration/checkpointInterval`` and once more when it ends;
/// 4. records the result in the store (or the migration's ``Migration/stateHooks``), fenced by the lease;
/// 5. releases the lease, on every path.
///
/// Waiting for another holder is cancellable: a cancelled run ends within a second with
/// ``MigrationError/Code-swift.struct/cancelled`` and records nothing. Cancelling a run whose step is
/// running cancels the step and records it as ``MigrationResult/Failure/cancelled``.
///
/// A dry run does steps 1 and 3 only, with `dryRun == true`.
public final class MigrationRunner<Context: Sendable>: Sendable {
    /// The migrations this runner runs.
    public let registry: MigrationRegistry<Context>
    /// Where state, checkpoints and leases live.
    public let backend: any MigrationBackend
    /// Where completion state and checkpoints are kept: the backend's store.
    public let stateStore: any MigrationStateStore
    /// What marks a migration as running across processes: the backend's leases.
    public let leaseProvider: any MigrationLeaseProvider
    /// Settings shared by every run.
    public let configuration: Configuration

    let logger: Logger
    let clock: RunnerClock
    let supervisorTimer: SharedTimer
    let running = Mutex<[String: RunningMigration]>([:])

    /// Creates a runner.
    ///
    /// There is no default backend: a service that forgot one would keep state in memory and run every
    /// migration again on every start.
    ///
    /// - Parameters:
    ///   - registry: The migrations, in run order.
    ///   - backend: Where state, checkpoints and leases live: ``FileMigrationBackend``,
    ///     `RedisMigrationBackend`, or ``InMemoryMigrationBackend`` in tests.
    ///   - logger: The base logger; each migration's logger adds `migration.name` and `migration.run_id`.
    ///   - configuration: Host identity, progress and checkpoint intervals, default `triggeredBy`, clock.
    public init(
        registry: MigrationRegistry<Context>,
        backend: some MigrationBackend,
        logger: Logger,
        configuration: Configuration = Configuration()
    ) {
        self.registry = registry
        self.backend = backend
        self.stateStore = backend.stateStore
        self.leaseProvider = backend.leaseProvider
        self.logger = logger
        self.configuration = configuration
        self.clock = RunnerClock(configuration.clock)
        self.supervisorTimer = SharedTimer(clock: clock)
    }

    // MARK: - Running

    /// Runs one migration by name.
    ///
    /// - Returns: The result: completed, skipped (already completed), failed or dry-run.
    /// - Throws: ``MigrationError`` when the run is refused: an unknown name, a run already in progress in
    ///   this process, or a lease held elsewhere past ``MigrationRunOptions/whenHeldElsewhere``.
    public func run(
        _ name: String,
        context: Context,
        options: MigrationRunOptions = MigrationRunOptions()
    ) async throws -> MigrationResult {
        let migration = try registry.require(name)
        return try await execute(migration, direction: .up, app: context, options: options, known: nil)
    }

    /// Runs every migration that is not completed, in registration order, background ones included.
    ///
    /// The completion markers of all migrations are read at once first (one round trip with Redis), then
    /// the whole state of those not completed, at once. Between two migrations, recording the completion
    /// of one takes the lease of the next in the same step where the backend can
    /// (``MigrationBackend/markCompleted(_:fence:acquiringNext:)``: one round trip with Redis). A failure
    /// stops the run unless ``MigrationRunOptions/continueOnError`` is set; cancellation always stops it. A paused migration
    /// stops it too (a later one may depend on it), reported as ``MigrationResult/Status/paused`` at once,
    /// without waiting for a holder that is still pausing.
    ///
    /// - Parameters:
    ///   - context: The application's context, handed to every step.
    ///   - options: How to run them.
    /// - Returns: The result of every migration attempted, in order.
    /// - Throws: ``MigrationError`` when a run is refused (see ``run(_:context:options:)``) or the store fails.
    public func runPending(
        context: Context,
        options: MigrationRunOptions = MigrationRunOptions()
    ) async throws -> [MigrationResult] {
        try await runPending(context: context, options: options) { _ in true }
    }

    /// Runs, at start-up, every pending migration that must complete before the service serves
    /// (``MigrationSchedule/beforeServing``), in registration order, passing over the background ones;
    /// otherwise as ``runPending(context:options:)``.
    ///
    /// - Parameters:
    ///   - context: The application's context, handed to every step.
    ///   - options: How to run them.
    /// - Returns: The result of every migration attempted, in order.
    /// - Throws: ``MigrationError`` when a run is refused (see ``run(_:context:options:)``) or the store fails.
    public func runBeforeServing(
        context: Context,
        options: MigrationRunOptions = MigrationRunOptions()
    ) async throws -> [MigrationResult] {
        try await runPending(context: context, options: options) { $0.schedule == .beforeServing }
    }

    private func runPending(
        context: Context,
        options: MigrationRunOptions,
        including: (any Migration<Context>) -> Bool
    ) async throws -> [MigrationResult] {
        let candidates = registry.migrations.filter(including)
        // The completion markers first, alone: a start-up where every migration has completed (the
        // usual deploy) costs one read, and decodes no result. Migrations with state hooks keep their
        // completion elsewhere and are always read in full.
        let completed = try await stateStore.completedNames(
            among: candidates.filter { $0.stateHooks == nil }.map(\.name))
        let remaining = candidates.filter { $0.stateHooks != nil || !completed.contains($0.name) }
        guard !remaining.isEmpty else { return [] }
        let states = try await stateStore.states(for: remaining.map(\.name))
        let run = PendingRun()
        var pendingOptions = options
        pendingOptions.skipCompleted = true
        pendingOptions.pendingRun = run
        do {
            let results = try await runEach(remaining, states: states, context: context, options: pendingOptions)
            await end(run)
            return results
        } catch {
            await end(run)
            throw error
        }
    }

    /// The loop of ``runPending(context:options:)``: each migration in order, until one stops the run.
    private func runEach(
        _ remaining: [any Migration<Context>],
        states: [String: StoredMigrationState],
        context: Context,
        options: MigrationRunOptions
    ) async throws -> [MigrationResult] {
        var results: [MigrationResult] = []
        var completedSince: Set<String> = []
        for (index, migration) in remaining.enumerated() {
            if Self.skips(migration, states: states, completedSince: completedSince) { continue }
            let state = states[migration.name] ?? .pending
            if let control = state.control, control.action == .pause, migration.stateHooks == nil {
                // A later migration may depend on it: stop here, without waiting for a holder that is pausing.
                results.append(pausedWithoutRunning(migration.name, control, options: options))
                break
            }
            if let run = options.pendingRun, !options.dryRun {
                if migration.sharding != nil {
                    // Replicas waiting for this run are to share its shards: they must not sleep through it.
                    await wakeWaiters(of: run)
                }
                // The migration tried after this one is taken with this one's completion, in one step.
                let next = nextLeaseRequest(
                    after: index, in: remaining, states: states, skipping: completedSince, options: options)
                await releaseUnused(run.plan(next, after: migration.name))
            }
            let result = try await execute(migration, direction: .up, app: context, options: options, known: state)
            if options.pendingRun?.takeWaitedForAnotherRun() == true {
                // Another replica's whole run ended while this one waited: what it completed after this
                // migration is read in one step, not found out by asking for each lease in turn.
                let rest = remaining[(index + 1)...].filter { $0.stateHooks == nil }.map(\.name)
                completedSince = rest.isEmpty ? [] : try await stateStore.completedNames(among: rest)
            }
            if result.status == .skipped && migration.stateHooks != nil { continue }
            results.append(result)
            if result.status == .paused || result.status == .interrupted { break }
            if result.isFailure && (result.failure == .cancelled || !options.continueOnError) { break }
        }
        return results
    }

    /// Rolls a completed migration back: runs `down`, then clears its completion so it is pending again.
    ///
    /// - Returns: A ``MigrationResult/Status/rolledBack`` or failed result (or dry-run).
    /// - Throws: ``MigrationError`` for an unknown name, a migration without `down`
    ///   (``MigrationError/Code-swift.struct/rollbackNotSupported``), one not completed
    ///   (``MigrationError/Code-swift.struct/notCompleted``), or a refused run.
    public func rollback(
        _ name: String,
        context: Context,
        options: MigrationRunOptions = MigrationRunOptions()
    ) async throws -> MigrationResult {
        let migration = try registry.require(name)
        return try await execute(migration, direction: .down, app: context, options: options, known: nil)
    }

    // MARK: - Observing

    /// The latest progress of a migration running in this process, if it is running.
    public func progress(of name: String) -> ProgressSnapshot? {
        running.withLock { $0[name]?.progress }?.snapshot()
    }

    /// What a migration run by this process is waiting for, while it waits for another holder's lease.
    public func leaseWait(of name: String) -> LeaseWait? {
        running.withLock { $0[name]?.leaseWait }
    }

    /// The names of the migrations running in this process.
    public var runningMigrations: [String] {
        running.withLock { Array($0.keys) }.sorted()
    }
}

// MARK: - Configuration

extension MigrationRunner {
    /// Settings shared by every run of a ``MigrationRunner``.
    public struct Configuration: Sendable {
        /// The host and process recorded in results and leases.
        public var host: HostIdentity
        /// Who or what starts runs when ``MigrationRunOptions/triggeredBy`` is not set.
        public var triggeredBy: String
        /// How often a running migration's progress is logged and published.
        public var progressInterval: Duration
        /// How often, at most, a running step's latest checkpoint is written; one second by default. The
        /// work done since the last write is what a crash makes run again.
        public var checkpointInterval: Duration
        /// How often a running attempt asks the store for an operator's pause or cancel when its lease
        /// cannot deliver it with the renewal (file and in-process leases); one second by default. A
        /// Redis lease reads it in the renewal script, every third of its TTL, at no extra round trip.
        public var controlPollInterval: Duration
        /// The clock that times renewals, lease expiry, timeouts and waits; `ContinuousClock` by default.
        ///
        /// Tests inject a manual clock to exercise that logic without waiting real seconds.
        public var clock: any Clock<Duration>
        /// Where the runner's metrics go (``MigrationMetrics``); the global `MetricsSystem.factory` when the
        /// configuration was made, so bootstrap the metrics system first.
        public var metricsFactory: any MetricsFactory
        /// What starts the runner's spans (``MigrationSpans``); the global `InstrumentationSystem.tracer` (a
        /// no-op until bootstrapped) when the configuration was made.
        public var tracer: any Tracer

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - host: This process by default.
        ///   - triggeredBy: The operating-system user by default.
        ///   - progressInterval: Five seconds by default.
        ///   - checkpointInterval: One second by default; at least a millisecond.
        ///   - controlPollInterval: One second by default.
        ///   - clock: `ContinuousClock` by default.
        ///   - metricsFactory: The global `MetricsSystem.factory` by default; tests pass their own.
        ///   - tracer: The global `InstrumentationSystem.tracer` by default; tests pass their own.
        public init(
            host: HostIdentity = .current,
            triggeredBy: String = Configuration.operatingSystemUser,
            progressInterval: Duration = .seconds(5),
            checkpointInterval: Duration = .seconds(1),
            controlPollInterval: Duration = .seconds(1),
            clock: any Clock<Duration> = ContinuousClock(),
            metricsFactory: any MetricsFactory = MetricsSystem.factory,
            tracer: any Tracer = InstrumentationSystem.tracer
        ) {
            self.host = host
            self.triggeredBy = triggeredBy
            self.progressInterval = progressInterval
            self.checkpointInterval = max(checkpointInterval, .milliseconds(1))
            self.controlPollInterval = max(controlPollInterval, .milliseconds(1))
            self.clock = clock
            self.metricsFactory = metricsFactory
            self.tracer = tracer
        }

        /// The user running this process, from `USER` or `LOGNAME`, or `unknown`.
        public static var operatingSystemUser: String {
            let environment = ProcessInfo.processInfo.environment
            return environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
        }
    }
}
