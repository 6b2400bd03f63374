public import Foundation
public import Migrations
public import MigrationsRedis

/// Everything stored for one migration: the output of `migrations show NAME --json`.
///
/// ```json
/// {
///   "completed" : true,
///   "fence" : 1,
///   "keys" : [
///     { "key" : "migration:2025-01-01-write-customers-csv:completed", "type" : "string" },
///     { "key" : "migration:2025-01-01-write-customers-csv:lease", "type" : "none" }
///   ],
///   "name" : "2025-01-01-write-customers-csv",
///   "result" : { "attempts" : 1, "duration" : 0.21, "status" : "completed", "…" : "…" },
///   "state" : "completed"
/// }
/// ```
public struct MigrationDetailsReport: Sendable, Codable, Equatable {
    /// One key of the layout.
    public struct Key: Sendable, Codable, Equatable {
        /// The full key.
        public var key: String
        /// Its Redis type; `none` when it does not exist.
        public var type: String
        /// Milliseconds until it expires, when it expires.
        public var ttlMilliseconds: Int64?

        /// Creates a key entry.
        public init(key: String, type: String, ttlMilliseconds: Int64?) {
            self.key = key
            self.type = type
            self.ttlMilliseconds = ttlMilliseconds
        }
    }

    /// The migration's name.
    public var name: String
    /// The state `status` reports.
    public var state: MigrationStatus.State
    /// Whether the completion marker is set.
    public var completed: Bool
    /// The stored result (of the last completed or rolled-back run).
    public var result: MigrationResult?
    /// The last error message.
    public var error: String?
    /// The live lease.
    public var lease: MigrationLeaseRow?
    /// The fencing token.
    public var fence: UInt64?
    /// The published progress.
    public var progress: ProgressSnapshot?
    /// The checkpoint the next attempt resumes from.
    public var checkpoint: MigrationCheckpoint?
    /// An operator's pending pause or cancel.
    public var control: MigrationControl?
    /// The last attempts, newest first (`migrations show` reads the last ten).
    public var history: [MigrationResult] = []
    /// What could not be read, naming the key.
    public var problem: String?
    /// Every key of the layout, existing or not.
    public var keys: [Key]
    /// Every shard and the totals across them, for a sharded migration; `nil` otherwise.
    public var shards: MigrationShardsSummary?

    /// Creates a report from what `RedisMigrationInspector.details(of:)` read.
    ///
    /// - Parameters:
    ///   - details: The details.
    ///   - now: The moment the lease's age is measured at.
    public init(_ details: RedisMigrationDetails, now: Date = Date()) {
        name = details.name
        state = MigrationStatusRow.state(of: details.state)
        completed = details.state.isCompleted
        result = details.state.lastResult
        error = details.state.lastError
        lease = details.lease.map { MigrationLeaseRow($0, now: now) }
        fence = details.fence
        progress = details.state.progress
        checkpoint = details.state.checkpoint
        control = details.state.control
        problem = details.state.problem
        keys = details.keys.map { Key(key: $0.key, type: $0.type, ttlMilliseconds: $0.ttlLeftMilliseconds) }
    }
}
