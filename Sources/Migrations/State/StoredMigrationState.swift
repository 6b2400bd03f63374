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
    /// Where the last unfinished attempt got to, if it saved a checkpoint.
    public var checkpoint: MigrationCheckpoint?
    /// An operator's pending request to pause or cancel it.
    public var control: MigrationControl?
    /// The fencing token of the latest lease acquisition (`0` before the first), when the store can see
    /// it: a checkpoint read with this state is current for the next acquisition (whose token is one
    /// higher). `nil` when the store cannot see fences.
    public var fencingToken: UInt64?

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
    ///   - checkpoint: The last unfinished attempt's checkpoint.
    ///   - fencingToken: The latest acquisition's fencing token.
    public init(
        isCompleted: Bool,
        lastResult: MigrationResult? = nil,
        lastError: String? = nil,
        lastFailure: MigrationResult? = nil,
        holder: LeaseHolder? = nil,
        progress: ProgressSnapshot? = nil,
        problem: String? = nil,
        checkpoint: MigrationCheckpoint? = nil,
        fencingToken: UInt64? = nil
    ) {
        self.isCompleted = isCompleted
        self.lastResult = lastResult
        self.lastError = lastError
        self.lastFailure = lastFailure
        self.holder = holder
        self.progress = progress
        self.problem = problem
        self.checkpoint = checkpoint
        self.fencingToken = fencingToken
    }

    /// This state with an operator's request.
    ///
    /// - Parameter control: The request, if any.
    public func with(control: MigrationControl?) -> StoredMigrationState {
        var copy = self
        copy.control = control
        return copy
    }

    /// A migration never run.
    public static let pending = StoredMigrationState(isCompleted: false)

    /// The run that produced the current state: the failed run while the migration is failed (an error
    /// and no completion), otherwise the last successful one. Never a stale success beside a newer failure.
    public var latestRun: MigrationResult? {
        if !isCompleted, lastError != nil { return lastFailure }
        return lastResult
    }

    /// Whether the migration is failing now: its last run failed and it has not completed since. A
    /// migration that failed before and completed since is not (its ``lastError`` is gone, and
    /// ``attemptsSoFar`` still counts the failures).
    public var isFailing: Bool {
        !isCompleted && lastError != nil
    }

    /// Whether this state, read before an acquisition with `fencingToken`, is still current: no other
    /// acquisition came between the read and this one (the read saw the token just before).
    ///
    /// - Parameter fencingToken: The fencing token of the acquisition that follows the read.
    public func isCurrent(forFencingToken fencingToken: UInt64?) -> Bool {
        guard let read = self.fencingToken, let fencingToken else { return false }
        return read &+ 1 == fencingToken
    }

    /// How many attempts have run so far, failed ones included, and one that crashed after saving a
    /// checkpoint.
    public var attemptsSoFar: Int {
        max(lastResult?.attempts ?? 0, lastFailure?.attempts ?? 0, checkpoint?.attempt ?? 0)
    }
}
