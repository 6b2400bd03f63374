/// The state of one registered migration, as ``MigrationRunner/status(context:)`` reports it.
public struct MigrationStatus: Sendable, Codable, Equatable {
    /// Where a migration stands.
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Never completed, not running, no recorded error.
        case pending
        /// Completed.
        case completed
        /// The last run failed and it has not completed since.
        case failed
        /// A lease is held on it, here or elsewhere.
        case running
        /// Its state could not be read: see ``MigrationStatus/problem``.
        case unknown
        /// An operator paused it and it is not running: it runs again, from its checkpoint, once resumed.
        /// (While its holder is still stopping, it is ``running`` with ``MigrationStatus/control`` set:
        /// "pausing…".)
        case paused
    }

    /// The migration's name.
    public var name: String
    /// Its description.
    public var description: String
    /// Its position in run order, from 1.
    public var position: Int
    /// Where it stands.
    public var state: State
    /// The last stored result, if any.
    public var lastResult: MigrationResult?
    /// The last error message, if any.
    public var lastError: String?
    /// The failed run that produced ``lastError``, when the store kept its record.
    public var lastFailure: MigrationResult?
    /// The lease holder while it runs, when known.
    public var holder: LeaseHolder?
    /// Its latest progress while it runs, when known.
    public var progress: ProgressSnapshot?
    /// Why its state could not be read, naming the key or file, when ``state`` is ``State/unknown``.
    public var problem: String?
    /// Whether it can be rolled back (its ``Migration/canRollback``).
    public var canRollback: Bool
    /// The checkpoint its next attempt resumes from, if an unfinished attempt left one.
    public var checkpoint: MigrationCheckpoint?
    /// An operator's pending request (pause or cancel), if any.
    public var control: MigrationControl?
    /// Every shard and their totals, for a sharded migration; `nil` otherwise.
    public var shards: MigrationShardsSummary?

    /// Whether it is failing now: ``State/failed``. One that failed before and completed since is not.
    public var isFailing: Bool { state == .failed }

    /// Whether it completed after earlier attempts that did not (failed, timed out, crashed).
    public var completedAfterFailures: Bool {
        state == .completed && (lastResult?.attempts ?? 1) > 1
    }

    /// Creates a status entry.
    public init(
        name: String,
        description: String,
        position: Int,
        state: State,
        lastResult: MigrationResult? = nil,
        lastError: String? = nil,
        lastFailure: MigrationResult? = nil,
        holder: LeaseHolder? = nil,
        progress: ProgressSnapshot? = nil,
        problem: String? = nil,
        canRollback: Bool = false,
        checkpoint: MigrationCheckpoint? = nil
    ) {
        self.name = name
        self.description = description
        self.position = position
        self.state = state
        self.lastResult = lastResult
        self.lastError = lastError
        self.lastFailure = lastFailure
        self.holder = holder
        self.progress = progress
        self.problem = problem
        self.canRollback = canRollback
        self.checkpoint = checkpoint
    }
}

extension MigrationStatus {
    /// This status with an operator's request.
    ///
    /// - Parameter control: The request, if any.
    public func with(control: MigrationControl?) -> MigrationStatus {
        var copy = self
        copy.control = control
        return copy
    }

    /// The status with its shards' summary.
    ///
    /// - Parameter shards: The summary, for a sharded migration.
    public func with(shards: MigrationShardsSummary?) -> MigrationStatus {
        var copy = self
        copy.shards = shards
        return copy
    }
}
