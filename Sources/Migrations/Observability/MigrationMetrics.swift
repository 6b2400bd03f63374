/// The names of the metrics a ``MigrationRunner`` reports through swift-metrics, and their dimensions.
///
/// The runner reports to ``MigrationRunner/Configuration/metricsFactory`` (the global `MetricsSystem.factory`
/// by default). Every metric has the dimension `migration`, the migration's registered name: the set of values
/// is bounded by the registry and never comes from a request.
///
/// | Metric | Kind | Dimensions | What it counts |
/// |---|---|---|---|
/// | `migrations_attempts_total` | counter | `migration`, `outcome`, `failure` (failed only) | attempts that ended |
/// | `migrations_attempt_duration_seconds` | timer | `migration`, `outcome` | lease taken to outcome recorded |
/// | `migrations_lease_acquisitions_total` | counter | `migration` | leases taken |
/// | `migrations_lease_takeovers_total` | counter | `migration` | leases taken after waiting for a holder that let go without completing |
/// | `migrations_lease_wait_duration_seconds` | timer | `migration` | time spent waiting for another holder |
/// | `migrations_lease_losses_total` | counter | `migration` | leases lost while running (expired, refused, taken over) |
/// | `migrations_lease_renewal_failures_total` | counter | `migration` | renewals that failed and were retried |
/// | `migrations_checkpoint_writes_total` | counter | `migration` | checkpoints written |
/// | `migrations_running` | gauge | `migration` | 1 while this process runs the migration's attempt, else 0 |
/// | `migrations_items_processed` | gauge | `migration` | the running attempt's progress count |
/// | `migrations_items_total` | gauge | `migration` | the running attempt's expected total, when known |
///
/// `outcome` is the result's status as the JSON records it (`completed`, `skipped`, `failed`, `dry-run`,
/// `rolled-back`, `paused`, `interrupted`), except that a failed attempt that was cancelled (by an
/// operator or by shutdown) is `cancelled`. `failure` is the failure kind of the other failed attempts:
/// `error`, `validation`, `timeout` or `lease-lost`.
public enum MigrationMetrics {
    /// Attempts that ended, by outcome: a counter.
    public static let attempts = "migrations_attempts_total"
    /// How long attempts took, from taking the lease to recording the outcome: a timer.
    public static let attemptDuration = "migrations_attempt_duration_seconds"
    /// Leases taken: a counter.
    public static let leaseAcquisitions = "migrations_lease_acquisitions_total"
    /// Leases taken after waiting for another holder that let go without completing (it failed, stopped,
    /// or died and its lease expired): a counter.
    public static let leaseTakeovers = "migrations_lease_takeovers_total"
    /// Time spent waiting for another holder's lease, whatever the wait ended in: a timer.
    public static let leaseWaitDuration = "migrations_lease_wait_duration_seconds"
    /// Leases lost while an attempt ran (expired before a renewal, refused, or a fenced write refused): a counter.
    public static let leaseLosses = "migrations_lease_losses_total"
    /// Renewals that failed (the backend did not answer) and were retried: a counter.
    public static let leaseRenewalFailures = "migrations_lease_renewal_failures_total"
    /// Checkpoints written to the store: a counter.
    public static let checkpointWrites = "migrations_checkpoint_writes_total"
    /// 1 while this process runs an attempt of the migration, 0 after: a gauge.
    public static let running = "migrations_running"
    /// The running attempt's progress count, updated at every progress interval and when the step ends: a gauge.
    public static let itemsProcessed = "migrations_items_processed"
    /// The running attempt's expected total, when the step set one: a gauge.
    public static let itemsTotal = "migrations_items_total"
}
