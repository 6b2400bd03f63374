/// What recording a shard's completion found, read in the same step as the write.
public struct ShardCompletion: Sendable, Equatable {
    /// Whether this write completed the migration: the shard was the last one, and the migration's own
    /// completion marker and result are now written (by this write, and by no other).
    public var completedMigration: Bool
    /// How many shards are completed now, this one included.
    public var completedShards: Int
    /// The migration's last error as stored now: when it differs from the one a run saw when it started,
    /// another shard failed meanwhile and the run takes no further shard.
    public var migrationError: String?
    /// The operator's request standing on the migration, if any.
    public var control: MigrationControl?
    /// Whether the write also released the shard's lease.
    public var disposition: LeaseDisposition

    /// Creates a completion report.
    ///
    /// - Parameters:
    ///   - completedMigration: Whether the write completed the migration.
    ///   - completedShards: How many shards are completed now.
    ///   - migrationError: The migration's last error now.
    ///   - control: The request standing on the migration.
    ///   - disposition: Whether the write released the shard's lease.
    public init(
        completedMigration: Bool, completedShards: Int, migrationError: String?, control: MigrationControl?,
        disposition: LeaseDisposition
    ) {
        self.completedMigration = completedMigration
        self.completedShards = completedShards
        self.migrationError = migrationError
        self.control = control
        self.disposition = disposition
    }
}
