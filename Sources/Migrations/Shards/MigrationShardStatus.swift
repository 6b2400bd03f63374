/// One shard of a sharded migration as status reports show it.
public struct MigrationShardStatus: Sendable, Codable, Equatable {
    /// The shard's number.
    public var index: Int
    /// `running` while a process holds it, `completed`, `failed` (its last attempt failed), or `pending`.
    public var state: MigrationStatus.State
    /// Who holds it, while it runs.
    public var holder: LeaseHolder?
    /// Its progress, while it runs.
    public var progress: ProgressSnapshot?
    /// Items done so far: its result's records once completed, else its progress or checkpoint.
    public var completed: Int
    /// Its items, once known (from its progress, checkpoint or result).
    public var total: Int?
    /// Who completed it (`<triggered by> (<host> <pid>)`), once completed.
    public var completedBy: String?
    /// Its last attempt's error, when it failed.
    public var error: String?

    /// Reads a shard's status from its stored state.
    ///
    /// - Parameters:
    ///   - index: The shard's number.
    ///   - stored: The state stored under its ``MigrationShard/storageName(of:)``.
    ///   - migrationCompleted: Whether the whole migration is completed (its shards' markers are then
    ///     cleared, and each shard counts as completed with its last result).
    public init(index: Int, stored: StoredMigrationState, migrationCompleted: Bool) {
        self.index = index
        let result = stored.lastResult?.status == .completed ? stored.lastResult : nil
        if stored.holder != nil && !migrationCompleted {
            state = .running
        } else if stored.isCompleted || migrationCompleted {
            state = .completed
        } else if stored.lastError != nil {
            state = .failed
        } else {
            state = .pending
        }
        holder = state == .running ? stored.holder : nil
        progress = state == .running ? stored.progress : nil
        switch state {
        case .completed:
            completed = result?.recordsProcessed ?? 0
            total = result?.recordsProcessed
            completedBy = result.map { "\($0.triggeredBy) (\($0.host) \($0.pid))" }
        default:
            completed = progress?.completed ?? stored.checkpoint?.completed ?? 0
            let known = progress?.total ?? stored.checkpoint?.total ?? 0
            total = known > 0 ? known : nil
        }
        error = state == .failed ? stored.lastError : nil
    }
}
