/// What a ``MigrationStateStore`` knows of one migration.
public struct StoredMigrationState: Sendable, Codable, Equatable {
    /// Whether the completion marker is set.
    public var isCompleted: Bool
    /// The last successful result (completed or rolled back), if any.
    public var lastResult: MigrationResult?
    /// The last error message, if any; cleared by a later success.
    public var lastError: String?
    /// The failed run that wrote ``lastError`` (started, finished, failure kind, who, attempts), when the
    /// store kept it; cleared by a later success.
    public var lastFailure: MigrationResult?
    /// The current lease holder, when the store can see the lease (Redis and file stores can).
    public var holder: LeaseHolder?
    /// The latest published progress of a running migration, if any.
    public var progress: ProgressSnapshot?
    /// What could not be read, naming the key or file: foreign data where the store expected its own.
    public var problem: String?

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - isCompleted: Whether the completion marker is set.
    ///   - lastResult: The last successful result.
    ///   - lastError: The last error message.
    ///   - lastFailure: The failed run that wrote `lastError`.
    ///   - holder: The current lease holder.
    ///   - progress: The latest published progress.
    ///   - problem: What could not be read.
    public init(
        isCompleted: Bool,
        lastResult: MigrationResult? = nil,
        lastError: String? = nil,
        lastFailure: MigrationResult? = nil,
        holder: LeaseHolder? = nil,
        progress: ProgressSnapshot? = nil,
        problem: String? = nil
    ) {
        self.isCompleted = isCompleted
        self.lastResult = lastResult
        self.lastError = lastError
        self.lastFailure = lastFailure
        self.holder = holder
        self.progress = progress
        self.problem = problem
    }

    /// A migration never run.
    public static let pending = StoredMigrationState(isCompleted: false)

    /// The run that produced the current state: the failed run while the migration is failed (an error
    /// and no completion), otherwise the last successful one. Never a stale success beside a newer failure.
    public var latestRun: MigrationResult? {
        if !isCompleted, lastError != nil { return lastFailure }
        return lastResult
    }

    /// How many attempts have run so far, failed ones included.
    public var attemptsSoFar: Int {
        max(lastResult?.attempts ?? 0, lastFailure?.attempts ?? 0)
    }
}
