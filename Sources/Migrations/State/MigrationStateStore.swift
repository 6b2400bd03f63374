/// Where completion state lives: which migrations completed, their last result, their last error, and
/// the checkpoint a resumable migration left.
///
/// The runner reads state for many migrations at once (``states(for:)``, one round trip in a networked
/// store) and writes it after each run. Writes made while holding a lease pass its ``LeaseFence``; a
/// store that shares storage with its lease (Redis) refuses the write when the lease is no longer held
/// by that owner, and may release the lease in the same step.
///
/// Ships with ``InMemoryStateStore`` (tests), ``FileStateStore`` (the embedded default) and, in the
/// `MigrationsRedis` module, `RedisStateStore`.
public protocol MigrationStateStore: Sendable {
    /// Reads the state of many migrations at once.
    ///
    /// - Parameter names: The migrations to read.
    /// - Returns: A state for every name asked for; a migration never seen is ``StoredMigrationState/pending``.
    func states(for names: [String]) async throws -> [String: StoredMigrationState]

    /// Answers whether a migration has completed.
    func isCompleted(_ name: String) async throws -> Bool

    /// The names among `names` whose completion marker is set: what `runPending` reads first, so a
    /// start-up where every migration has completed reads nothing else.
    ///
    /// A networked store answers in one round trip and decodes nothing but the markers (Redis: one
    /// `MGET`). The default reads ``states(for:)``.
    ///
    /// - Parameter names: The migrations to ask about.
    /// - Returns: Those whose ``StoredMigrationState/isCompleted`` is `true`.
    func completedNames(among names: [String]) async throws -> Set<String>

    /// Records a completed run: sets the completion marker, stores the result, clears the last error and
    /// the checkpoint, in one step.
    ///
    /// - Parameters:
    ///   - result: The result to store.
    ///   - fence: The lease held for the run, if any; a store that can check it refuses a stale holder.
    /// - Returns: Whether the write also released the lease.
    /// - Throws: ``MigrationError`` with code ``MigrationError/Code-swift.struct/leaseLost`` when the fence no longer holds.
    func markCompleted(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition

    /// Records a failed run: stores the error message (and the result where the store keeps it).
    func markFailed(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition

    /// Records a rollback: clears the completion marker (and the checkpoint) so the migration is pending again.
    func markRolledBack(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition

    /// Records a paused attempt: appends it to the history (fenced, where the store can check the fence).
    ///
    /// - Parameters:
    ///   - result: The paused result.
    ///   - fence: The lease held for the run.
    /// - Returns: Whether the write also released the lease.
    func markPaused(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition

    /// The results of a migration's last attempts, newest first: completed, failed, cancelled, paused and
    /// rolled back ones, appended by the same write that records each (the store keeps a capped number).
    ///
    /// - Parameters:
    ///   - name: The migration's name.
    ///   - limit: At most this many.
    func history(of name: String, limit: Int) async throws -> [MigrationResult]

    /// Saves where a running attempt got to, fenced.
    ///
    /// The store refuses the save when `fence` no longer holds the lease (where it can see the lease) or
    /// when the stored checkpoint carries a higher fencing token than `checkpoint`: a holder that stalled
    /// past its TTL can never move the position behind the holder that took over.
    ///
    /// - Parameters:
    ///   - checkpoint: The position, count and who saved it.
    ///   - name: The migration's name.
    ///   - fence: The lease held by the saving attempt.
    /// - Throws: ``MigrationError`` with code ``MigrationError/Code-swift.struct/leaseLost`` when refused.
    func saveCheckpoint(_ checkpoint: MigrationCheckpoint, of name: String, fence: LeaseFence) async throws

    /// Stores an operator's request to pause or cancel a migration, replacing any earlier one.
    ///
    /// - Parameters:
    ///   - control: The request.
    ///   - name: The migration's name.
    func requestControl(_ control: MigrationControl, of name: String) async throws

    /// Removes a migration's request (a resume, or a cancellation that was honoured).
    ///
    /// - Parameters:
    ///   - name: The migration's name.
    ///   - expected: Remove it only if it is still this request; `nil` removes whatever is there.
    /// - Returns: The request removed, if one was.
    @discardableResult
    func clearControl(of name: String, expecting expected: MigrationControl?) async throws -> MigrationControl?

    /// The migration's current request, if any: what a running attempt polls when its lease cannot
    /// deliver it with the renewal.
    ///
    /// - Parameter name: The migration's name.
    func control(of name: String) async throws -> MigrationControl?

    /// Clears the completion marker and the last error, so the migration runs again. An operator's tool.
    ///
    /// - Parameters:
    ///   - name: The migration's name.
    ///   - keepingCheckpoint: Whether its checkpoint stays, so the next run resumes from it instead of
    ///     starting from the beginning.
    func reset(_ name: String, keepingCheckpoint: Bool) async throws

    /// Records a completed shard of a sharded migration and, if it was the last one not completed, the
    /// migration's completion, in one step: of all the holders that complete a shard, exactly one writes
    /// the migration's completion.
    ///
    /// The shard's result is stored under its ``MigrationShard/storageName(of:)`` with its completion
    /// marker, and its checkpoint is removed. The last shard writes `completion` as the migration's result
    /// (with ``MigrationResult/recordsProcessed`` the sum over every shard's), sets the migration's
    /// completion marker, clears its last error, and removes every shard's completion marker and
    /// checkpoint, so that a reset or a rollback leaves nothing behind that a later run would mistake for
    /// finished work. The shards' fencing counters stay.
    ///
    /// - Parameters:
    ///   - result: The shard's result, named by its storage name.
    ///   - shard: The shard.
    ///   - name: The migration's name.
    ///   - fence: The shard's lease; a store that can check it refuses a stale holder.
    ///   - completion: The migration's result to write if this was the last shard.
    /// - Returns: What the write found: whether it completed the migration, the migration's last error
    ///   and its standing control request.
    /// - Throws: ``MigrationError`` with code ``MigrationError/Code-swift.struct/leaseLost`` when the fence no
    ///   longer holds, or ``MigrationError/Code-swift.struct/invalidConfiguration`` from a store without
    ///   sharding.
    func markShardCompleted(
        _ result: MigrationResult, shard: MigrationShard, of name: String, fence: LeaseFence,
        completion: MigrationResult
    ) async throws -> ShardCompletion
}

/// Whether a fenced write also released the lease it was fenced by.
public enum LeaseDisposition: Sendable, Equatable {
    /// The lease is still held; the runner releases it.
    case stillHeld
    /// The write released the lease in the same step.
    case released
}

extension MigrationStateStore {
    /// Reads ``states(for:)`` and keeps the completed ones.
    ///
    /// - Parameter names: The migrations to ask about.
    /// - Returns: Those whose ``StoredMigrationState/isCompleted`` is `true`.
    public func completedNames(among names: [String]) async throws -> Set<String> {
        Set(try await states(for: names).filter { $0.value.isCompleted }.keys)
    }

    /// Refuses: a store must implement sharding to run a sharded migration.
    public func markShardCompleted(
        _ result: MigrationResult, shard: MigrationShard, of name: String, fence: LeaseFence,
        completion: MigrationResult
    ) async throws -> ShardCompletion {
        throw MigrationError(
            .invalidConfiguration,
            "migration '\(name)' is sharded, but the state store \(Self.self) cannot record shards; "
                + "implement markShardCompleted(_:shard:of:fence:completion:) or run it unsharded",
            migration: name)
    }

    /// Clears the completion marker, the last error and the checkpoint, so the migration runs again
    /// from the beginning.
    ///
    /// - Parameter name: The migration's name.
    public func reset(_ name: String) async throws {
        try await reset(name, keepingCheckpoint: false)
    }

    /// Reads the state of one migration.
    public func state(of name: String) async throws -> StoredMigrationState {
        try await states(for: [name])[name] ?? .pending
    }
}
