import Synchronization

/// A state store in this process's memory: for tests, and for the seed's in-memory behaviour.
///
/// State is lost when the process exits. Fences are not checked: a single process has no stale holders.
public final class InMemoryStateStore: MigrationStateStore {
    private let entries = Mutex<[String: StoredMigrationState]>([:])
    private let histories = Mutex<[String: [MigrationResult]]>([:])

    /// How many results ``history(of:limit:)`` keeps per migration.
    public let historyLimit: Int

    /// Creates an empty store.
    ///
    /// - Parameter historyLimit: How many results the history keeps per migration; 50 by default.
    public init(historyLimit: Int = 50) {
        self.historyLimit = max(1, historyLimit)
    }

    private func remember(_ result: MigrationResult) {
        histories.withLock { histories in
            var list = histories[result.name] ?? []
            list.insert(result, at: 0)
            if list.count > historyLimit { list.removeLast(list.count - historyLimit) }
            histories[result.name] = list
        }
    }

    /// Appends the paused result to the history.
    public func markPaused(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        remember(result)
        return .stillHeld
    }

    /// The last results, newest first.
    public func history(of name: String, limit: Int) async throws -> [MigrationResult] {
        histories.withLock { Array(($0[name] ?? []).prefix(max(0, limit))) }
    }

    /// Reads many states at once.
    public func states(for names: [String]) async throws -> [String: StoredMigrationState] {
        entries.withLock { entries in
            Dictionary(uniqueKeysWithValues: names.map { ($0, entries[$0] ?? .pending) })
        }
    }

    /// Answers whether a migration completed.
    public func isCompleted(_ name: String) async throws -> Bool {
        entries.withLock { $0[name]?.isCompleted ?? false }
    }

    /// Sets the completion marker and result, and clears the last error and the checkpoint.
    public func markCompleted(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        remember(result)
        return entries.withLock { entries in
            let control = entries[result.name]?.control
            entries[result.name] = StoredMigrationState(isCompleted: true, lastResult: result)
            entries[result.name]?.control = control
            return .stillHeld
        }
    }

    /// Stores the error message and result; the checkpoint stays.
    public func markFailed(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        remember(result)
        entries.withLock { entries in
            var state = entries[result.name] ?? .pending
            state.lastError = result.error ?? "failed"
            state.lastFailure = result
            entries[result.name] = state
        }
        return .stillHeld
    }

    /// Clears the completion marker and the checkpoint, and stores the result.
    public func markRolledBack(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        remember(result)
        entries.withLock { entries in
            let control = entries[result.name]?.control
            entries[result.name] = StoredMigrationState(isCompleted: false, lastResult: result)
            entries[result.name]?.control = control
        }
        return .stillHeld
    }

    /// Keeps the checkpoint unless the stored one carries a higher fencing token.
    public func saveCheckpoint(_ checkpoint: MigrationCheckpoint, of name: String, fence: LeaseFence) async throws {
        let ours = fence.fencingToken ?? 0
        let newer: UInt64? = entries.withLock { entries in
            var state = entries[name] ?? .pending
            let stored = state.checkpoint?.fencingToken ?? 0
            guard stored <= ours else { return stored }
            state.checkpoint = checkpoint
            entries[name] = state
            return nil
        }
        if let newer { throw MigrationError.checkpointRefused(name, ours: ours, newer: newer) }
    }

    /// Keeps the request.
    public func requestControl(_ control: MigrationControl, of name: String) async throws {
        entries.withLock { entries in
            var state = entries[name] ?? .pending
            state.control = control
            entries[name] = state
        }
    }

    /// Removes the request if it is still the expected one.
    @discardableResult
    public func clearControl(of name: String, expecting expected: MigrationControl?) async throws
        -> MigrationControl?
    {
        entries.withLock { entries in
            guard let current = entries[name]?.control, expected == nil || current == expected else { return nil }
            entries[name]?.control = nil
            return current
        }
    }

    /// The current request.
    public func control(of name: String) async throws -> MigrationControl? {
        entries.withLock { $0[name]?.control }
    }

    /// Forgets everything about a migration, but its checkpoint when kept.
    public func reset(_ name: String, keepingCheckpoint: Bool) async throws {
        entries.withLock { entries in
            let kept = StoredMigrationState(
                isCompleted: false, checkpoint: keepingCheckpoint ? entries[name]?.checkpoint : nil
            ).with(control: entries[name]?.control)
            entries[name] = kept.checkpoint == nil && kept.control == nil ? nil : kept
        }
    }

    /// Marks the shard completed and, under the same lock, completes the migration if it was the last.
    public func markShardCompleted(
        _ result: MigrationResult, shard: MigrationShard, of name: String, fence: LeaseFence,
        completion: MigrationResult
    ) async throws -> ShardCompletion {
        remember(result)
        let (report, completed) = entries.withLock { entries in
            var state = StoredMigrationState(isCompleted: true, lastResult: result)
            state.fencingToken = entries[result.name]?.fencingToken
            entries[result.name] = state
            let names = MigrationSharding.count(shard.count).shards.map { $0.storageName(of: name) }
            let done = names.filter { entries[$0]?.isCompleted == true }
            var completed: MigrationResult?
            if done.count == shard.count, entries[name]?.isCompleted != true {
                var final = completion
                final.recordsProcessed = names.reduce(0) { $0 + (entries[$1]?.lastResult?.recordsProcessed ?? 0) }
                let control = entries[name]?.control
                entries[name] = StoredMigrationState(isCompleted: true, lastResult: final).with(control: control)
                for shardName in names {
                    entries[shardName] = StoredMigrationState(
                        isCompleted: false, lastResult: entries[shardName]?.lastResult)
                }
                completed = final
            }
            let report = ShardCompletion(
                completedMigration: completed != nil, completedShards: done.count,
                migrationError: entries[name]?.lastError, control: entries[name]?.control, disposition: .stillHeld)
            return (report, completed)
        }
        if let completed { remember(completed) }
        return report
    }
}
