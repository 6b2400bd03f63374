/// A migration written as closures, for quick one-offs.
///
/// ```swift
/// try registry.register(ClosureMigration<AppServices>(
///     name: "2025-02-01-drop-stale-sessions",
///     description: "Delete sessions older than 90 days",
///     up: { context in
///         if !context.dryRun { try await context.app.database.deleteStaleSessions() }
///     }
/// ))
/// ```
public struct ClosureMigration<Context: Sendable>: Migration {
    /// The migration's stable name.
    public let name: String
    /// A one-line description.
    public let description: String

    private let upStep: @Sendable (MigrationContext<Context>) async throws -> Void
    private let downStep: (@Sendable (MigrationContext<Context>) async throws -> Void)?
    private let validateStep: (@Sendable (MigrationContext<Context>) async throws -> ValidationResult)?

    /// Custom state handling, if any.
    public let stateHooks: MigrationStateHooks<Context>?
    /// Whether it must complete before the service serves or may run in the background.
    public let schedule: MigrationSchedule
    /// How the work splits across the fleet, if it does.
    public let sharding: MigrationSharding?

    /// Creates a migration from closures.
    ///
    /// - Parameters:
    ///   - name: The stable name; see ``MigrationName``.
    ///   - description: A one-line description.
    ///   - sharding: How the work splits across the fleet; `nil` (not sharded) by default.
    ///   - validate: Checks prerequisites; `nil` means always valid.
    ///   - up: Runs the migration.
    ///   - down: Undoes it; `nil` means it cannot be rolled back.
    ///   - stateHooks: Custom state handling; `nil` uses the runner's store.
    ///   - schedule: ``MigrationSchedule/beforeServing`` by default.
    public init(
        name: String,
        description: String = "",
        sharding: MigrationSharding? = nil,
        validate: (@Sendable (MigrationContext<Context>) async throws -> ValidationResult)? = nil,
        up: @escaping @Sendable (MigrationContext<Context>) async throws -> Void,
        down: (@Sendable (MigrationContext<Context>) async throws -> Void)? = nil,
        stateHooks: MigrationStateHooks<Context>? = nil,
        schedule: MigrationSchedule = .beforeServing
    ) {
        self.name = name
        self.description = description
        self.validateStep = validate
        self.upStep = up
        self.downStep = down
        self.stateHooks = stateHooks
        self.schedule = schedule
        self.sharding = sharding
    }

    /// Runs the `up` closure.
    public func up(_ context: MigrationContext<Context>) async throws {
        try await upStep(context)
    }

    /// Whether a `down` closure was given.
    public var canRollback: Bool { downStep != nil }

    /// Runs the `down` closure, or throws ``MigrationError/Code-swift.struct/rollbackNotSupported``.
    public func down(_ context: MigrationContext<Context>) async throws {
        guard let downStep else { throw MigrationError.rollbackNotSupported(name) }
        try await downStep(context)
    }

    /// Runs the `validate` closure, or answers ``ValidationResult/valid``.
    public func validate(_ context: MigrationContext<Context>) async throws -> ValidationResult {
        try await validateStep?(context) ?? .valid
    }
}
