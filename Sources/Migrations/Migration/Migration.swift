/// A named piece of application code that must run exactly once: a backfill, an import, a cleanup.
///
/// A migration is generic over the application's own context (its database client, storage, cache),
/// which the runner hands to every step inside a ``MigrationContext``.
///
/// ```swift
/// struct ImportLegacyUsers: Migration {
///     let name = "2025-01-15-import-legacy-users"
///     let description = "Import users from the legacy CSV export"
///
///     func validate(_ context: MigrationContext<AppServices>) async throws -> ValidationResult {
///         guard context.app.csvExists else { return .invalid("legacy-users.csv is missing") }
///         return .valid
///     }
///
///     func up(_ context: MigrationContext<AppServices>) async throws {
///         let rows = try context.app.readLegacyUsers()
///         context.progress.setTotal(rows.count)
///         for row in rows {
///             try Task.checkCancellation()
///             if !context.dryRun { try await context.app.database.insert(row) }
///             context.progress.increment()
///         }
///     }
///
///     func down(_ context: MigrationContext<AppServices>) async throws {
///         if !context.dryRun { try await context.app.database.deleteImportedUsers() }
///     }
/// }
/// ```
///
/// Only ``name`` and ``up(_:)`` are required. Without ``down(_:)`` the migration cannot be rolled back;
/// without ``validate(_:)`` it is always valid; without ``stateHooks`` the runner records its state in
/// the configured ``MigrationStateStore``. For quick one-offs, see ``ClosureMigration``.
///
/// `up` should honour ``MigrationContext/dryRun`` (read, count, report, but write nothing) and check for
/// cancellation in long loops: timeouts, a lost lease and shutdown all arrive as task cancellation.
public protocol Migration<Context>: Sendable {
    /// The application's own context type.
    associatedtype Context: Sendable

    /// The stable identifier of the migration; see ``MigrationName`` for the rules.
    ///
    /// It keys the completion state, so it must never change once the migration has run.
    var name: String { get }

    /// A one-line, human-readable description shown by `status` and `list`.
    var description: String { get }

    /// Runs the migration.
    func up(_ context: MigrationContext<Context>) async throws

    /// Undoes the migration. The default throws ``MigrationError/Code-swift.struct/rollbackNotSupported``.
    func down(_ context: MigrationContext<Context>) async throws

    /// Checks prerequisites before ``up(_:)`` runs. The default is ``ValidationResult/valid``.
    func validate(_ context: MigrationContext<Context>) async throws -> ValidationResult

    /// Custom state handling that replaces the runner's store for this migration. The default is `nil`.
    var stateHooks: MigrationStateHooks<Context>? { get }

    /// Whether ``down(_:)`` is implemented, for status and front ends (a rollback button). The default
    /// is `false`: a migration that implements `down` says `true`.
    var canRollback: Bool { get }

    /// How fast the batch helpers may go; ``MigrationThrottle/none`` by default. A run's
    /// ``MigrationRunOptions/throttle`` replaces it.
    var throttle: MigrationThrottle { get }

    /// Whether it must complete before the service serves or may run in the background;
    /// ``MigrationSchedule/beforeServing`` by default.
    var schedule: MigrationSchedule { get }

    /// How the work splits across the fleet; `nil` (one attempt does it all) by default. See
    /// ``MigrationSharding``: each shard is leased, checkpointed and completed on its own, and the step
    /// reads its shard from ``MigrationContext/shard``.
    var sharding: MigrationSharding? { get }
}

// MARK: - Defaults

extension Migration {
    /// An empty description.
    public var description: String { "" }

    /// Throws ``MigrationError/Code-swift.struct/rollbackNotSupported``.
    public func down(_ context: MigrationContext<Context>) async throws {
        throw MigrationError.rollbackNotSupported(name)
    }

    /// Always ``ValidationResult/valid``.
    public func validate(_ context: MigrationContext<Context>) async throws -> ValidationResult { .valid }

    /// `nil`: the runner's state store records this migration.
    public var stateHooks: MigrationStateHooks<Context>? { nil }

    /// `false`: implement ``down(_:)`` and say `true`.
    public var canRollback: Bool { false }

    /// ``MigrationThrottle/none``.
    public var throttle: MigrationThrottle { .none }

    /// ``MigrationSchedule/beforeServing``.
    public var schedule: MigrationSchedule { .beforeServing }

    /// `nil`: not sharded.
    public var sharding: MigrationSharding? { nil }
}

extension MigrationError {
    static func rollbackNotSupported(_ name: String) -> MigrationError {
        MigrationError(
            .rollbackNotSupported,
            "migration '\(name)' has no down step and cannot be rolled back; "
                + "implement down(_:) or write a new migration that undoes it",
            migration: name
        )
    }
}
