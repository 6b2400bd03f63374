import Migrations
import Synchronization

/// A backend whose store remembers every result written through it (see ``RecordingStateStore``).
struct RecordingBackend<Base: MigrationBackend>: MigrationBackend {
    let stateStore: RecordingStateStore
    let leaseProvider: Base.LeaseProvider
    let description: String

    init(_ base: Base) {
        self.stateStore = RecordingStateStore(base.stateStore)
        self.leaseProvider = base.leaseProvider
        self.description = base.description
    }
}

/// A state store that remembers every result written through it, so the progress display can tell
/// how each migration ended as soon as it ends.
final class RecordingStateStore: MigrationStateStore {
    private let base: any MigrationStateStore
    private let recorded = Mutex<[MigrationResult]>([])

    /// Wraps a store.
    init(_ base: any MigrationStateStore) {
        self.base = base
    }

    /// The last result recorded for a migration by this process.
    func result(for name: String) -> MigrationResult? {
        recorded.withLock { $0.last { $0.name == name } }
    }

    /// Every result recorded by this process, in the order they were recorded.
    var results: [MigrationResult] {
        recorded.withLock { $0 }
    }

    func states(for names: [String]) async throws -> [String: StoredMigrationState] {
        try await base.states(for: names)
    }

    func completedNames(among names: [String]) async throws -> Set<String> {
        try await base.completedNames(among: names)
    }

    func isCompleted(_ name: String) async throws -> Bool {
        try await base.isCompleted(name)
    }

    func markCompleted(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        try await remember(result) { try await base.markCompleted(result, fence: fence) }
    }

    func markShardCompleted(
        _ result: MigrationResult, shard: MigrationShard, of name: String, fence: LeaseFence,
        completion: MigrationResult
    ) async throws -> ShardCompletion {
        let report = try await base.markShardCompleted(
            result, shard: shard, of: name, fence: fence, completion: completion)
        recorded.withLock { $0.append(result) }
        return report
    }

    func markFailed(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        try await remember(result) { try await base.markFailed(result, fence: fence) }
    }

    func markRolledBack(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        try await remember(result) { try await base.markRolledBack(result, fence: fence) }
    }

    func saveCheckpoint(_ checkpoint: MigrationCheckpoint, of name: String, fence: LeaseFence) async throws {
        try await base.saveCheckpoint(checkpoint, of: name, fence: fence)
    }

    func markPaused(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        try await remember(result) { try await base.markPaused(result, fence: fence) }
    }

    func history(of name: String, limit: Int) async throws -> [MigrationResult] {
        try await base.history(of: name, limit: limit)
    }

    func requestControl(_ control: MigrationControl, of name: String) async throws {
        try await base.requestControl(control, of: name)
    }

    @discardableResult
    func clearControl(of name: String, expecting expected: MigrationControl?) async throws -> MigrationControl? {
        try await base.clearControl(of: name, expecting: expected)
    }

    func control(of name: String) async throws -> MigrationControl? {
        try await base.control(of: name)
    }

    func reset(_ name: String, keepingCheckpoint: Bool) async throws {
        try await base.reset(name, keepingCheckpoint: keepingCheckpoint)
    }

    private func remember(
        _ result: MigrationResult, _ write: () async throws -> LeaseDisposition
    ) async throws -> LeaseDisposition {
        do {
            let disposition = try await write()
            recorded.withLock { $0.append(result) }
            return disposition
        } catch {
            var failed = result
            failed.status = .failed
            failed.error = "\(error)"
            recorded.withLock { $0.append(failed) }
            throw error
        }
    }
}
