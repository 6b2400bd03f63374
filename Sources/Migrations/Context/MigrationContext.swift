public import Logging

/// Everything a migration step receives: the application's context, a logger, and the run's settings.
///
/// The runner builds it for every step; the caller only supplies the application context and, through
/// ``MigrationRunOptions``, what it wants to set (metadata, dry run, who triggered the run).
public struct MigrationContext<App: Sendable>: Sendable {
    /// The application's own context: database client, storage, cache.
    public let app: App

    /// The name of the running migration.
    public let migrationName: String

    /// A logger that already carries `migration.name` (and the run's metadata) as metadata.
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

    /// Creates a context. The runner does this for you; it is public so tests can call steps directly.
    public init(
        app: App,
        migrationName: String,
        logger: Logger,
        metadata: [String: String] = [:],
        dryRun: Bool = false,
        triggeredBy: String = "test",
        progress: MigrationProgress = MigrationProgress(),
        fencingToken: UInt64? = nil
    ) {
        self.app = app
        self.migrationName = migrationName
        self.logger = logger
        self.metadata = metadata
        self.dryRun = dryRun
        self.triggeredBy = triggeredBy
        self.progress = progress
        self.fencingToken = fencingToken
    }
}
