/// Where a fleet's migration state lives: completion state and checkpoints, and the leases that mark a
/// migration as running. One value, so the two can never disagree about where they are.
///
/// A ``MigrationRunner`` takes exactly one, chosen explicitly: ``FileMigrationBackend`` (processes on one
/// machine, the embedded default of the `migrate` command), `RedisMigrationBackend` in the
/// `MigrationsRedis` module (a fleet), or ``InMemoryMigrationBackend`` (tests; state is lost at exit).
///
/// A custom backend pairs its own ``MigrationStateStore`` with a ``MigrationLeaseProvider`` over the same
/// storage; see "Writing a backend" in the documentation catalog:
///
/// ```swift
/// struct PostgresMigrationBackend: MigrationBackend {
///     let stateStore: PostgresStateStore        // completion, results, errors, checkpoints
///     let leaseProvider: PostgresAdvisoryLocks  // pg_try_advisory_lock per migration
///     var description: String { "Postgres at \(stateStore.host)" }
/// }
/// ```
public protocol MigrationBackend: Sendable {
    /// The store's type.
    associatedtype StateStore: MigrationStateStore
    /// The lease provider's type.
    associatedtype LeaseProvider: MigrationLeaseProvider

    /// Completion state, results, errors and checkpoints.
    var stateStore: StateStore { get }
    /// What marks a migration as running.
    var leaseProvider: LeaseProvider { get }
    /// Where state lives, for messages, without any secret: `files at ./.migrations`,
    /// `Redis at redis://127.0.0.1:6379 (prefix migration)`, `memory (this process only)`.
    var description: String { get }

    /// Records a completion, fenced, and tries to take the next migration's lease in the same step.
    ///
    /// ``MigrationRunner/runPending(context:options:)`` calls it between two migrations of its run, when
    /// the next one is to be tried at once. It must record the completion exactly as
    /// ``MigrationStateStore/markCompleted(_:fence:)`` does, and, only once the completion is recorded,
    /// answer for `next` exactly as ``MigrationLeaseProvider/acquire(_:)`` would. The default does the
    /// first alone and answers `nil` for `next`, so the runner acquires it as usual; a backend whose
    /// store and leases share a server makes the two one round trip (Redis does).
    ///
    /// - Parameters:
    ///   - result: The completed result.
    ///   - fence: The completed migration's lease.
    ///   - next: The lease request of the migration the run tries next.
    /// - Returns: The completion's disposition, and the acquisition of `next` when it was tried.
    func markCompleted(_ result: MigrationResult, fence: LeaseFence, acquiringNext next: LeaseRequest)
        async throws -> CompletionAndNextLease
}

extension MigrationBackend {
    /// Records the completion alone: `next` is left to ``MigrationLeaseProvider/acquire(_:)``.
    ///
    /// - Parameters:
    ///   - result: The completed result.
    ///   - fence: The completed migration's lease.
    ///   - next: The lease request of the migration the run tries next; not used.
    public func markCompleted(_ result: MigrationResult, fence: LeaseFence, acquiringNext next: LeaseRequest)
        async throws -> CompletionAndNextLease
    {
        CompletionAndNextLease(disposition: try await stateStore.markCompleted(result, fence: fence), next: nil)
    }
}

/// What ``MigrationBackend/markCompleted(_:fence:acquiringNext:)`` did.
public struct CompletionAndNextLease: Sendable {
    /// Whether recording the completion released its lease.
    public var disposition: LeaseDisposition
    /// The next migration's acquisition, or `nil` when it was not tried.
    public var next: LeaseAcquisition?

    /// Creates the answer.
    ///
    /// - Parameters:
    ///   - disposition: Whether recording the completion released its lease.
    ///   - next: The next migration's acquisition, or `nil` when it was not tried.
    public init(disposition: LeaseDisposition, next: LeaseAcquisition?) {
        self.disposition = disposition
        self.next = next
    }
}

/// State and leases in this process's memory: for tests. Everything is lost when the process exits, and
/// other processes see none of it; never use it for a service.
public struct InMemoryMigrationBackend: MigrationBackend {
    /// The state.
    public let stateStore: InMemoryStateStore
    /// The leases.
    public let leaseProvider: InProcessLeaseProvider

    /// Creates an empty backend.
    public init() {
        self.stateStore = InMemoryStateStore()
        self.leaseProvider = InProcessLeaseProvider()
    }

    /// `memory (this process only)`.
    public var description: String { "memory (this process only)" }
}

/// State and leases as files in one directory: processes on one machine cooperate through it.
///
/// See ``FileStateStore`` for the files and ``FileLeaseProvider`` for the locks. Use Redis for a fleet.
public struct FileMigrationBackend: MigrationBackend {
    /// The state files.
    public let stateStore: FileStateStore
    /// The lock files.
    public let leaseProvider: FileLeaseProvider

    /// Opens (and creates when missing) a state directory.
    ///
    /// - Parameter directory: The directory, `.migrations` by default.
    /// - Throws: ``MigrationError`` when the directory cannot be created.
    public init(directory: String = ".migrations") throws(MigrationError) {
        self.stateStore = try FileStateStore(directory: directory)
        self.leaseProvider = try FileLeaseProvider(directory: directory)
    }

    /// The directory.
    public var directory: String { stateStore.directory }

    /// `files at <directory>`.
    public var description: String {
        let explicit = ["/", "./", "../"].contains { directory.hasPrefix($0) }
        return "files at \(explicit ? directory : "./" + directory)"
    }
}
