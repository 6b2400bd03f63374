import CoreMetrics

/// The metrics of one migration's attempts, labelled with its name (see ``MigrationMetrics``).
struct AttemptInstruments: Sendable {
    let factory: any MetricsFactory
    let name: String

    private var migration: [(String, String)] { [("migration", name)] }

    /// An attempt ended with `result`.
    func ended(_ result: MigrationResult) {
        let outcome = Self.outcome(of: result)
        var dimensions = migration + [("outcome", outcome)]
        if outcome == MigrationResult.Status.failed.rawValue, let failure = result.failure {
            dimensions.append(("failure", failure.rawValue))
        }
        Counter(label: MigrationMetrics.attempts, dimensions: dimensions, factory: factory).increment()
        CoreMetrics.Timer(
            label: MigrationMetrics.attemptDuration, dimensions: migration + [("outcome", outcome)], factory: factory
        ).recordSeconds(max(0, result.duration))
    }

    /// The lease was taken.
    func leaseAcquired() { count(MigrationMetrics.leaseAcquisitions) }

    /// The lease, taken after waiting for another holder, turned out to leave the work to this attempt: the
    /// holder let go without completing.
    func tookOver() { count(MigrationMetrics.leaseTakeovers) }

    /// Waiting for another holder lasted `duration`.
    func waited(_ duration: Duration) {
        CoreMetrics.Timer(label: MigrationMetrics.leaseWaitDuration, dimensions: migration, factory: factory)
            .recordSeconds(duration.timeInterval)
    }

    /// The running attempt lost its lease.
    func leaseLost() { count(MigrationMetrics.leaseLosses) }

    /// A renewal failed and will be retried.
    func renewalFailed() { count(MigrationMetrics.leaseRenewalFailures) }

    /// A checkpoint was written.
    func checkpointWritten() { count(MigrationMetrics.checkpointWrites) }

    /// Whether this process runs an attempt of the migration now.
    func running(_ isRunning: Bool) {
        Gauge(label: MigrationMetrics.running, dimensions: migration, factory: factory).record(isRunning ? 1 : 0)
    }

    /// The running attempt's progress.
    func progressed(_ snapshot: ProgressSnapshot) {
        Gauge(label: MigrationMetrics.itemsProcessed, dimensions: migration, factory: factory)
            .record(snapshot.completed)
        if snapshot.total > 0 {
            Gauge(label: MigrationMetrics.itemsTotal, dimensions: migration, factory: factory).record(snapshot.total)
        }
    }

    private func count(_ label: String) {
        Counter(label: label, dimensions: migration, factory: factory).increment()
    }

    /// The `outcome` dimension: the status, with cancelled failures told apart.
    static func outcome(of result: MigrationResult) -> String {
        if result.status == .failed && result.failure == .cancelled { return "cancelled" }
        return result.status.rawValue
    }
}
