public import Migrations

/// The body of `POST /migrations/run`.
public struct RunMigrationRequest: Codable, Sendable, Equatable {
    /// The migration to run.
    public var name: String
    /// Validate and run `up` without recording anything. Defaults to `false`.
    public var dryRun: Bool?

    /// Creates a request.
    public init(name: String, dryRun: Bool? = nil) {
        self.name = name
        self.dryRun = dryRun
    }
}

/// The body of `POST /migrations/run-pending`.
public struct RunPendingRequest: Codable, Sendable, Equatable {
    /// Validate and run `up` without recording anything. Defaults to `false`.
    public var dryRun: Bool?
    /// Go on after a failure. Defaults to `false`.
    public var continueOnError: Bool?

    /// Creates a request.
    public init(dryRun: Bool? = nil, continueOnError: Bool? = nil) {
        self.dryRun = dryRun
        self.continueOnError = continueOnError
    }
}

/// The body of `POST /migrations/rollback`.
public struct RollbackMigrationRequest: Codable, Sendable, Equatable {
    /// The migration to roll back.
    public var name: String
    /// Run `down` without recording anything. Defaults to `false`.
    public var dryRun: Bool?

    /// Creates a request.
    public init(name: String, dryRun: Bool? = nil) {
        self.name = name
        self.dryRun = dryRun
    }
}

/// The body of `POST /migrations/<name>/pause|resume|cancel`; it may be empty.
public struct ControlMigrationRequest: Codable, Sendable, Equatable {
    /// Why, recorded with the request.
    public var reason: String?

    /// Creates a request.
    ///
    /// - Parameter reason: Why.
    public init(reason: String? = nil) {
        self.reason = reason
    }
}

/// The answer of `POST /migrations/<name>/pause|resume|cancel`.
public struct ControlMigrationAnswer: Codable, Sendable, Equatable {
    /// The migration.
    public var name: String
    /// `requested` (a holder stops at its next control check, or the next attempt is stopped),
    /// `resumed`, or `recorded` (a migration not running was recorded as cancelled).
    public var outcome: String
    /// The request stored, lifted or recorded.
    public var control: MigrationControl?
    /// The replica that will stop, when one runs it.
    public var holder: LeaseHolder?
    /// The cancellation recorded, for `recorded`.
    public var result: MigrationResult?
    /// One sentence for a person.
    public var message: String

    /// The answer for an outcome.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - outcome: What the request did.
    public init(name: String, _ outcome: MigrationControls.Outcome) {
        self.name = name
        self.message = MigrationControls.sentence(outcome, name: name)
        switch outcome {
        case .requested(let control, let holder):
            self.outcome = "requested"
            self.control = control
            self.holder = holder
        case .resumed(let control):
            self.outcome = "resumed"
            self.control = control
        case .recorded(let result):
            self.outcome = "recorded"
            self.control = result.control
            self.result = result
        }
    }
}

/// The answer of `GET /migrations/<name>`: its status row and its last attempts, newest first.
public struct MigrationDetailsAnswer: Codable, Sendable, Equatable {
    /// The status, as `GET /migrations` lists it (holder, progress, checkpoint, control, last run).
    public var status: MigrationStatusRow
    /// The last attempts, newest first.
    public var history: [MigrationResult]

    /// Creates an answer.
    ///
    /// - Parameters:
    ///   - status: The status row.
    ///   - history: The last attempts.
    public init(status: MigrationStatusRow, history: [MigrationResult]) {
        self.status = status
        self.history = history
    }
}
