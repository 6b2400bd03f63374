import Tracing

/// The names of the spans a ``MigrationRunner`` starts through swift-distributed-tracing, and their attributes.
///
/// The runner starts its spans with ``MigrationRunner/Configuration/tracer`` (the global
/// `InstrumentationSystem.tracer` by default, a no-op until the application bootstraps one). Each attempt is
/// one ``run`` span, a child of the caller's current span (the task-local `ServiceContext`), with children:
///
/// - ``leaseWait``, only when the attempt waited for another holder;
/// - ``validate``, around `validate` (not for a rollback);
/// - ``up`` or ``down``, around the step: the step runs with this span's `ServiceContext` as the current one,
///   so the spans the application starts in it (its database calls) nest under it;
/// - ``record``, around writing the outcome.
///
/// Attributes of ``run``: `migration.name`, `migration.run_id`, `migration.direction` (`up` or `down`),
/// `migration.dry_run` (dry runs only), and once the attempt ended `migration.fencing_token`,
/// `migration.outcome` (as the `outcome` dimension of ``MigrationMetrics/attempts``) and
/// `migration.records_processed` (when the step reported progress). A failed attempt sets the span's status
/// to error with the recorded message; a refused run (held elsewhere, cancelled while waiting) records the error.
public enum MigrationSpans {
    /// One attempt, from deciding to run it to recording its outcome.
    public static let run = "migration.run"
    /// Waiting for another holder's lease.
    public static let leaseWait = "migration.lease.wait"
    /// The migration's `validate`.
    public static let validate = "migration.validate"
    /// The migration's `up`.
    public static let up = "migration.up"
    /// The migration's `down`.
    public static let down = "migration.down"
    /// Writing the outcome to the store.
    public static let record = "migration.record"
}

extension MigrationRunner {
    /// Runs `body` in a new span, a child of the current one, with the span's context current meanwhile.
    ///
    /// - Parameters:
    ///   - name: One of ``MigrationSpans``.
    ///   - body: The work the span covers.
    func withSpan<Value>(_ name: String, _ body: (any Span) async throws -> Value) async rethrows -> Value {
        try await Self.withSpan(configuration.tracer, name, body)
    }

    /// Starts a span, a child of the current one; the caller ends it.
    ///
    /// - Parameter name: One of ``MigrationSpans``.
    func startSpan(_ name: String) -> any Span {
        Self.startSpan(configuration.tracer, name)
    }

    private static func withSpan<Value>(
        _ tracer: some Tracer, _ name: String, _ body: (any Span) async throws -> Value
    ) async rethrows -> Value {
        try await tracer.withSpan(name, ofKind: .internal) { span in try await body(span) }
    }

    private static func startSpan(_ tracer: some Tracer, _ name: String) -> any Span {
        tracer.startSpan(name, context: ServiceContext.current ?? .topLevel, ofKind: .internal)
    }
}
