/// What a ``MigrationStateStore`` knows of one migration.
public struct StoredMigrationState: Sendable, Codable, Equatable {
    /// Whether the completion marker is set.
    public var isCompleted: Bool
    /// The last stored result, if any.
    public var lastResult: MigrationResult?
    /// The last error message, if any.
    public var lastError: String?
    /// The current lease holder, when the store can see the lease (Redis and file stores can).
    public var holder: LeaseHolder?
    /// The latest published progress of a running migration, if any.
    public var progress: ProgressSnapshot?
    /// What could not be read, naming the key or file: foreign data where the store expected its own.
    public var problem: String?

    /// Creates a state.
    public init(
        isCompleted: Bool,
        lastResult: MigrationResult? = nil,
        lastError: String? = nil,
        holder: LeaseHolder? = nil,
        progress: ProgressSnapshot? = nil,
        problem: String? = nil
    ) {
        self.isCompleted = isCompleted
        self.lastResult = lastResult
        self.lastError = lastError
        self.holder = holder
        self.progress = progress
        self.problem = problem
    }

    /// A migration never run.
    public static let pending = StoredMigrationState(isCompleted: false)
}
