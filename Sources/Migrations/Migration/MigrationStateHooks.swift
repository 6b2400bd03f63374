/// Custom completion state for one migration, replacing the runner's ``MigrationStateStore`` for it.
///
/// Use hooks when the truth lives in the application's own data, for example a column that says a
/// backfill happened. The runner still takes the migration's lease, so hooks need not guard against
/// concurrent runs, but the store's fencing does not apply to what they write.
///
/// ```swift
/// var stateHooks: MigrationStateHooks<AppServices>? {
///     MigrationStateHooks(
///         isCompleted: { context in try await context.app.database.hasColumn("users", "tenant_id") },
///         markComplete: { result, context in context.logger.info("done in \(result.duration) s") },
///         markFailed: { result, context in context.logger.error("failed: \(result.error ?? "")") }
///     )
/// }
/// ```
public struct MigrationStateHooks<Context: Sendable>: Sendable {
    /// Answers whether the migration has already been applied.
    public var isCompleted: @Sendable (MigrationContext<Context>) async throws -> Bool

    /// Records a successful run.
    public var markComplete: @Sendable (MigrationResult, MigrationContext<Context>) async throws -> Void

    /// Records a failed run.
    public var markFailed: @Sendable (MigrationResult, MigrationContext<Context>) async throws -> Void

    /// Records a rollback. The default does nothing.
    public var markRolledBack: @Sendable (MigrationResult, MigrationContext<Context>) async throws -> Void

    /// Creates hooks.
    public init(
        isCompleted: @escaping @Sendable (MigrationContext<Context>) async throws -> Bool,
        markComplete: @escaping @Sendable (MigrationResult, MigrationContext<Context>) async throws -> Void,
        markFailed: @escaping @Sendable (MigrationResult, MigrationContext<Context>) async throws -> Void = { _, _ in },
        markRolledBack: @escaping @Sendable (MigrationResult, MigrationContext<Context>) async throws -> Void = {
            _, _ in
        }
    ) {
        self.isCompleted = isCompleted
        self.markComplete = markComplete
        self.markFailed = markFailed
        self.markRolledBack = markRolledBack
    }
}
