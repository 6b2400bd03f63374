import Synchronization

/// A state store in this process's memory: for tests, and for the seed's in-memory behaviour.
///
/// State is lost when the process exits. Fences are not checked: a single process has no stale holders.
public final class InMemoryStateStore: MigrationStateStore {
    private let entries = Mutex<[String: StoredMigrationState]>([:])

    /// Creates an empty store.
    public init() {}

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

    /// Sets the completion marker and result, and clears the last error.
    public func markCompleted(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        entries.withLock { $0[result.name] = StoredMigrationState(isCompleted: true, lastResult: result) }
        return .stillHeld
    }

    /// Stores the error message and result.
    public func markFailed(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        entries.withLock { entries in
            var state = entries[result.name] ?? .pending
            state.lastError = result.error ?? "failed"
            state.lastFailure = result
            entries[result.name] = state
        }
        return .stillHeld
    }

    /// Clears the completion marker and stores the result.
    public func markRolledBack(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        entries.withLock { $0[result.name] = StoredMigrationState(isCompleted: false, lastResult: result) }
        return .stillHeld
    }

    /// Forgets everything about a migration.
    public func reset(_ name: String) async throws {
        _ = entries.withLock { $0.removeValue(forKey: name) }
    }
}
