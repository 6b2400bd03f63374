public import Logging

/// Everything a migration step receives: the application's context, a logger, and the run's settings.
///
/// The runner builds it for every step; the caller only supplies the application context and, through
/// ``MigrationRunOptions``, what it wants to set (metadata, dry run, who triggered the run, a throttle).
/// A resumable step reads ``checkpoint`` and calls ``saveCheckpoint(_:)``, or lets the batch helpers
/// (``iterate(from:fetch:process:)`` and its variants) do both.
public struct MigrationContext<App: Sendable>: Sendable {
    /// The application's own context: database client, storage, cache.
    public let app: App

    /// The name of the running migration.
    public let migrationName: String

    /// A logger that already carries `migration.name`, `migration.run_id` (and the run's metadata) as metadata.
    public let logger: Logger

    /// Free-form metadata supplied by the caller for this run.
    public let metadata: [String: String]

    /// When `true`, the step must not write: read, count and report only.
    public let dryRun: Bool

    /// Who or what started the run: a user, a CI job, `startup`.
    public let triggeredBy: String

    /// Progress reporting for this run; see ``MigrationProgress``.
    public let progress: MigrationProgress

    /// The lease's fencing token, increasing with every acquisition of this migration's lease.
    ///
    /// Store it with the writes the migration makes, and refuse a write whose token is lower than the
    /// one already stored: a holder that lost its lease can then never overwrite newer work.
    /// `nil` during a dry run and with leases that have no fencing.
    public let fencingToken: UInt64?

    /// The random id of this run, also in the logs (`migration.run_id`), the lease and the result.
    public let runId: String

    /// The checkpoint the previous attempt left, `nil` on a first attempt (and after a completion,
    /// rollback or reset). ``resumeCursor(as:)`` decodes its cursor.
    public let checkpoint: MigrationCheckpoint?

    /// How fast the batch helpers may go: the migration's ``Migration/throttle``, or the run's
    /// ``MigrationRunOptions/throttle`` when set.
    public let throttle: MigrationThrottle

    /// The shard this attempt runs, for a migration that declares ``Migration/sharding``; `nil` otherwise.
    ///
    /// The step does shard ``MigrationShard/index`` of ``MigrationShard/count`` only (its
    /// ``MigrationShard/slice(of:)`` of the keys, or the keys it ``MigrationShard/owns(_:)``), and
    /// ``checkpoint`` is that shard's own: the batch helpers resume each shard where it stopped.
    public let shard: MigrationShard?

    /// Where ``saveCheckpoint(_:)`` keeps the position; `nil` in a dry run and outside the runner.
    let checkpoints: CheckpointRecorder?
    /// The runner's clock, for the throttle's waits.
    let clock: RunnerClock

    /// Creates a context. The runner does this for you; it is public so tests can call steps directly
    /// (checkpoint saves then go nowhere).
    ///
    /// - Parameters:
    ///   - app: The application's context.
    ///   - migrationName: The migration's name.
    ///   - logger: The step's logger.
    ///   - metadata: The run's metadata.
    ///   - dryRun: Whether the step must not write.
    ///   - triggeredBy: Who started the run.
    ///   - progress: The run's progress.
    ///   - fencingToken: The lease's fencing token.
    ///   - runId: The run's id.
    ///   - checkpoint: The previous attempt's checkpoint.
    ///   - throttle: The throttle the batch helpers apply.
    ///   - shard: The shard the step runs, for a sharded migration.
    public init(
        app: App,
        migrationName: String,
        logger: Logger,
        metadata: [String: String] = [:],
        dryRun: Bool = false,
        triggeredBy: String = "test",
        progress: MigrationProgress = MigrationProgress(),
        fencingToken: UInt64? = nil,
        runId: String = MigrationRunID.random(),
        checkpoint: MigrationCheckpoint? = nil,
        throttle: MigrationThrottle = .none,
        shard: MigrationShard? = nil
    ) {
        self.init(
            app: app, migrationName: migrationName, logger: logger, metadata: metadata, dryRun: dryRun,
            triggeredBy: triggeredBy, progress: progress, fencingToken: fencingToken, runId: runId,
            checkpoint: checkpoint, throttle: throttle, checkpoints: nil, clock: RunnerClock(ContinuousClock()),
            shard: shard)
    }

    init(
        app: App, migrationName: String, logger: Logger, metadata: [String: String], dryRun: Bool,
        triggeredBy: String, progress: MigrationProgress, fencingToken: UInt64?, runId: String,
        checkpoint: MigrationCheckpoint?, throttle: MigrationThrottle, checkpoints: CheckpointRecorder?,
        clock: RunnerClock, shard: MigrationShard? = nil
    ) {
        self.app = app
        self.migrationName = migrationName
        self.logger = logger
        self.metadata = metadata
        self.dryRun = dryRun
        self.triggeredBy = triggeredBy
        self.progress = progress
        self.fencingToken = fencingToken
        self.runId = runId
        self.checkpoint = checkpoint
        self.throttle = throttle
        self.checkpoints = checkpoints
        self.clock = clock
        self.shard = shard
    }
}

// MARK: - Checkpoints

extension MigrationContext {
    /// The cursor the previous attempt saved, decoded as your type; `nil` on a first attempt.
    ///
    /// - Parameter type: The type the migration passes to ``saveCheckpoint(_:)``.
    /// - Throws: ``MigrationError`` (``MigrationError/Code-swift.struct/invalidCheckpoint``) when the stored
    ///   cursor is of another type.
    public func resumeCursor<Cursor: Decodable>(as type: Cursor.Type) throws(MigrationError) -> Cursor? {
        try checkpoint?.cursor(as: type)
    }

    /// Saves the position reached, with the progress count now, so a later attempt resumes from it.
    ///
    /// Cheap enough for every batch of a hot loop: it keeps the cursor in memory and returns; nothing is
    /// encoded or sent. The runner writes the latest position at most once per
    /// ``MigrationRunner/Configuration/checkpointInterval`` and once more when the step ends (returns,
    /// throws, is cancelled, times out or loses its lease, while the lease is still held). The write is
    /// fenced: if another holder took the lease over, it is refused and the step is cancelled with
    /// "lease lost", as on a refused renewal.
    ///
    /// The redo window: after a crash, the work done since the last written checkpoint runs again (at
    /// most one interval's worth), so the step's own writes should carry ``fencingToken`` or be idempotent.
    ///
    /// Does nothing in a dry run.
    ///
    /// - Parameter cursor: The position: a row id, a `(createdAt, id)` pair, a file offset, a page token.
    @inline(__always)
    public func saveCheckpoint(_ cursor: some Encodable & Sendable) {
        checkpoints?.save(cursor)
    }
}

/// Run ids: 16 random bytes in hex, like lease tokens.
public enum MigrationRunID {
    /// A new random run id.
    public static func random() -> String {
        LeaseToken.random()
    }
}
