public import Foundation

/// One migration in the output of `status --json`: the same shape from `<app> migrate status --json`
/// and `migrations status --json`.
///
/// Both print a JSON array of rows, sorted keys, ISO 8601 dates, absent fields left out:
///
/// ```json
/// [
///   {
///     "completedAt" : "2026-11-29T15:04:05Z",
///     "duration" : 0.214,
///     "name" : "2025-01-01-write-customers-csv",
///     "state" : "completed",
///     "triggeredBy" : "deploy"
///   },
///   {
///     "holder" : {
///       "acquiredAt" : "2026-11-29T15:05:00Z",
///       "fencingToken" : 3,
///       "host" : "api-7f9c",
///       "pid" : 4242,
///       "triggeredBy" : "startup",
///       "ttlMilliseconds" : 27140
///     },
///     "name" : "2025-01-02-import-customers",
///     "progress" : { "completed" : 2500, "elapsedSeconds" : 1.2, "isFinished" : false,
///                    "startedAt" : "2026-11-29T15:05:00Z", "total" : 5000 },
///     "state" : "running"
///   }
/// ]
/// ```
///
/// The embedded command adds ``description`` and ``position`` (run order, from 1), which only the
/// application knows; the operator tool sees only Redis and leaves them out.
public struct MigrationStatusRow: Sendable, Codable, Equatable {
    /// The migration's name.
    public var name: String
    /// `pending`, `completed`, `failed`, `running` or `unknown` (foreign data under its keys).
    public var state: MigrationStatus.State
    /// When the completed run finished, while the migration is completed.
    public var completedAt: Date?
    /// How long the last recorded run took, in seconds.
    public var duration: Double?
    /// Who or what started the current run while it runs, else the last recorded run.
    public var triggeredBy: String?
    /// The last error message, in full.
    public var error: String?
    /// How the run that produced a failed state failed, when the store kept its record.
    public var failure: MigrationResult.Failure?
    /// When the run that produced the state finished (completed, failed or rolled back).
    public var finishedAt: Date?
    /// How many attempts have run, failed ones included, when known.
    public var attempts: Int?
    /// The lease holder while it runs, with the TTL left in milliseconds.
    public var holder: LeaseHolder?
    /// The latest published progress while it runs.
    public var progress: ProgressSnapshot?
    /// What could not be read, naming the key, when ``state`` is `unknown`.
    public var problem: String?
    /// The checkpoint the next attempt resumes from, if an unfinished attempt left one.
    public var checkpoint: MigrationCheckpoint?
    /// `true` when the migration completed after earlier attempts that did not: it failed before and
    /// has completed since (a migration failing now is ``state`` `failed` instead).
    public var completedAfterFailures: Bool?
    /// Whether the migration can be rolled back (embedded command only).
    public var canRollback: Bool?
    /// An operator's pending request: while ``state`` is `running` its holder is pausing or cancelling;
    /// ``state`` `paused` says who paused it, why and when.
    public var control: MigrationControl?
    /// The migration's description (embedded command only).
    public var description: String?
    /// The position in run order, from 1 (embedded command only).
    public var position: Int?
    /// Every shard (state, holder, progress) and the totals across them, for a sharded migration.
    public var shards: MigrationShardsSummary?

    /// Creates a row.
    public init(
        name: String,
        state: MigrationStatus.State,
        completedAt: Date? = nil,
        duration: Double? = nil,
        triggeredBy: String? = nil,
        error: String? = nil,
        holder: LeaseHolder? = nil,
        progress: ProgressSnapshot? = nil,
        problem: String? = nil,
        description: String? = nil,
        position: Int? = nil
    ) {
        self.name = name
        self.state = state
        self.completedAt = completedAt
        self.duration = duration
        self.triggeredBy = triggeredBy
        self.error = error
        self.failure = nil
        self.finishedAt = nil
        self.attempts = nil
        self.holder = holder
        self.progress = progress
        self.problem = problem
        self.description = description
        self.position = position
    }
}

// MARK: - Building rows

extension MigrationStatusRow {
    /// The row of a migration as the runner reports it (embedded `status`).
    ///
    /// - Parameter status: One entry of `MigrationRunner.status(context:)`.
    public init(_ status: MigrationStatus) {
        self.init(
            name: status.name,
            state: status.state,
            stored: StoredMigrationState(
                isCompleted: status.state == .completed, lastResult: status.lastResult, lastError: status.lastError,
                lastFailure: status.lastFailure, holder: status.holder, progress: status.progress,
                problem: status.problem, checkpoint: status.checkpoint
            ).with(control: status.control))
        description = status.description.isEmpty ? nil : status.description
        position = status.position
        canRollback = status.canRollback
        shards = status.shards
    }

    /// The row of a migration as stored (operator `status`), with the state the runner would report.
    ///
    /// - Parameters:
    ///   - name: The migration's name.
    ///   - stored: Its stored state, as `RedisMigrationInspector` reads it.
    public init(name: String, stored: StoredMigrationState) {
        self.init(
            name: name,
            state: Self.state(of: stored),
            stored: stored)
    }

    /// The row of a state: its times, author and failure come from the run that produced the state
    /// (``StoredMigrationState/latestRun``), never from an older run beside a newer failure.
    private init(name: String, state: MigrationStatus.State, stored: StoredMigrationState) {
        let run = stored.latestRun
        self.init(
            name: name,
            state: state,
            completedAt: stored.isCompleted && run?.status == .completed ? run?.finishedAt : nil,
            duration: run?.duration,
            triggeredBy: stored.holder?.triggeredBy ?? run?.triggeredBy,
            error: stored.lastError,
            holder: stored.holder,
            progress: stored.holder == nil ? nil : stored.progress,
            problem: stored.problem)
        failure = stored.lastError == nil ? nil : run?.failure
        finishedAt = run?.finishedAt
        attempts = stored.attemptsSoFar > 0 ? stored.attemptsSoFar : nil
        checkpoint = stored.checkpoint
        control = stored.control
        let completedLate = stored.isCompleted && stored.lastError == nil && (stored.lastResult?.attempts ?? 1) > 1
        completedAfterFailures = completedLate ? true : nil
    }

    /// The state of a sharded migration: running while any shard is held (and the migration is not
    /// completed), else as ``state(of:)`` says of the migration's own state.
    ///
    /// - Parameters:
    ///   - stored: The migration's own state.
    ///   - shards: Its shards, for a sharded migration.
    public static func state(of stored: StoredMigrationState, shards: MigrationShardsSummary?) -> MigrationStatus.State
    {
        if let shards, shards.runningShards > 0, !stored.isCompleted { return .running }
        return state(of: stored)
    }

    /// The state the runner reports for a stored state: running while a lease is held, then unknown for
    /// foreign data, completed, paused (a pause request), failed (an error is recorded), else pending.
    public static func state(of stored: StoredMigrationState) -> MigrationStatus.State {
        if stored.holder != nil { return .running }
        if stored.problem != nil { return .unknown }
        if stored.isCompleted { return .completed }
        if stored.control?.action == .pause { return .paused }
        if stored.lastError != nil { return .failed }
        return .pending
    }
}
