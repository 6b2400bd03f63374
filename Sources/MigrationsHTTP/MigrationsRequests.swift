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
