/// When a migration must have run, relative to the service serving traffic.
///
/// ```swift
/// struct BackfillOrderTotals: Migration {
///     let name = "2025-04-02-backfill-order-totals"
///     var schedule: MigrationSchedule { .inBackground }
///     // …
/// }
/// ```
///
/// ``MigrationRunner/runBeforeServing(context:options:)`` runs the pending ``beforeServing`` migrations at
/// start-up; a background worker (`MigrationWorker` in `MigrationsLifecycle`) runs the ``inBackground``
/// ones while the service serves. ``MigrationRunner/runPending(context:options:)`` runs both, in order.
public enum MigrationSchedule: String, Sendable, Codable, CaseIterable {
    /// It must complete before the service serves: start-up runs it and readiness waits for it. The
    /// default, for schema changes and the data the code needs at once.
    case beforeServing = "before-serving"

    /// It may run while the service serves: a long backfill the code copes without. The background
    /// worker starts it once every migration registered before it has completed, so a background
    /// migration never runs before the migrations it may depend on. A migration registered after it that
    /// runs before serving does not wait for it: register such a migration before it, or make it a
    /// background one too.
    case inBackground = "in-background"
}
