/// An error thrown by the migration engine: an unknown or invalid migration, a refused run, a failed store.
///
/// Every error carries a broad ``Code-swift.struct`` to switch on, a ``message`` written for the person
/// who reads it (naming the migration and what to do), the ``migration`` it concerns, and an optional
/// underlying ``cause``.
///
/// ```swift
/// do {
///     try await runner.run("2025-01-15-import-users", context: app)
/// } catch let error as MigrationError where error.code == .alreadyRunning {
///     print(error.message)
/// }
/// ```
public struct MigrationError: Error, Sendable {
    /// The broad kind of failure.
    public var code: Code

    /// What went wrong and, where possible, how to remedy it.
    public var message: String

    /// The name of the migration the error concerns, if any.
    public var migration: String?

    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// The lease holder, for ``Code-swift.struct/heldElsewhere``, when known.
    public var holder: LeaseHolder?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The broad kind of failure.
    ///   - message: A message for the person who reads it.
    ///   - migration: The migration concerned, if any.
    ///   - cause: The underlying error, if any.
    ///   - holder: The lease holder, for a lease held elsewhere.
    public init(
        _ code: Code,
        _ message: String,
        migration: String? = nil,
        cause: (any Error & Sendable)? = nil,
        holder: LeaseHolder? = nil
    ) {
        self.code = code
        self.message = message
        self.migration = migration
        self.cause = cause
        self.holder = holder
    }
}

// MARK: - Code

extension MigrationError {
    /// A broad classification of a ``MigrationError``.
    ///
    /// A struct over a private enum, so new codes can be added without breaking anyone's `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalidName
            case duplicateName
            case unknownMigration
            case alreadyRunning
            case heldElsewhere
            case rollbackNotSupported
            case notCompleted
            case leaseLost
            case stateStore
            case lease
            case invalidConfiguration
            case cancelled
            case invalidCheckpoint
            case controlRefused
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A migration name is empty, too long or contains control characters.
        public static let invalidName = Code(.invalidName)
        /// Two migrations were registered under the same name.
        public static let duplicateName = Code(.duplicateName)
        /// No migration is registered under the requested name.
        public static let unknownMigration = Code(.unknownMigration)
        /// The migration is already running in this process.
        public static let alreadyRunning = Code(.alreadyRunning)
        /// Another process holds the migration's lease.
        public static let heldElsewhere = Code(.heldElsewhere)
        /// The migration has no `down` step.
        public static let rollbackNotSupported = Code(.rollbackNotSupported)
        /// A rollback was asked for a migration that has not completed.
        public static let notCompleted = Code(.notCompleted)
        /// The lease was lost while the migration ran; its result was not recorded.
        public static let leaseLost = Code(.leaseLost)
        /// The state store failed to read or write.
        public static let stateStore = Code(.stateStore)
        /// The lease provider failed.
        public static let lease = Code(.lease)
        /// A store, lease or runner was configured with values it cannot use.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The run was cancelled before its migration started (while waiting for another holder's lease,
        /// for instance): nothing ran and nothing was recorded.
        public static let cancelled = Code(.cancelled)
        /// A saved checkpoint could not be used: its cursor is not of the type the migration reads.
        public static let invalidCheckpoint = Code(.invalidCheckpoint)
        /// A pause, resume or cancel that does not apply: the migration is completed, or not paused.
        public static let controlRefused = Code(.controlRefused)

        /// A short, stable, kebab-case name of the code.
        public var description: String {
            switch wrapped {
            case .invalidName: "invalid-name"
            case .duplicateName: "duplicate-name"
            case .unknownMigration: "unknown-migration"
            case .alreadyRunning: "already-running"
            case .heldElsewhere: "held-elsewhere"
            case .rollbackNotSupported: "rollback-not-supported"
            case .notCompleted: "not-completed"
            case .leaseLost: "lease-lost"
            case .stateStore: "state-store"
            case .lease: "lease"
            case .invalidConfiguration: "invalid-configuration"
            case .cancelled: "cancelled"
            case .invalidCheckpoint: "invalid-checkpoint"
            case .controlRefused: "control-refused"
            }
        }
    }
}

// MARK: - Descriptions

extension MigrationError: CustomStringConvertible {
    /// The message, followed by the underlying cause where there is one.
    public var description: String {
        guard let cause else { return message }
        return "\(message) (\(cause))"
    }
}

// MARK: - Checkpoints

extension MigrationError {
    /// The refusal of a checkpoint save by a holder whose lease another acquisition superseded.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - ours: The saving attempt's fencing token.
    ///   - newer: The higher token found.
    public static func checkpointRefused(_ name: String, ours: UInt64, newer: UInt64) -> MigrationError {
        MigrationError(
            .leaseLost,
            "lease lost: the checkpoint save of migration '\(name)' with fencing token \(ours) was refused, "
                + "because a later holder (fencing token \(newer)) took the migration over",
            migration: name)
    }
}
