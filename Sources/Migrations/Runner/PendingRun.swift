import Synchronization

/// One ``MigrationRunner/runPending(context:options:)`` call, as its attempts see it.
///
/// Its id goes into every lease the call takes (``LeaseHolder/pendingRun``), so a replica that finds one
/// of them held waits for the whole call to end (``MigrationLeaseProvider/waitForPendingRun(_:holding:timeout:)``)
/// rather than for each migration. The call wakes those replicas when it ends, and when it reaches a
/// sharded migration, whose shards they are to share (``MigrationLeaseProvider/wakeWaiters(ofPendingRun:)``).
/// A waiter that was woken so reads the completion of the rest again at once, in one read, instead of
/// asking for each lease in turn.
final class PendingRun: Sendable {
    /// The id recorded in the call's leases.
    let id = MigrationRunID.random()
    private let flags = Mutex(Flags())

    private struct Flags {
        var tookLease = false
        var waitedForAnotherRun = false
    }

    /// Notes that an attempt of this call took a lease, so replicas may be waiting for the call.
    func noteLeaseTaken() { flags.withLock { $0.tookLease = true } }

    /// Whether an attempt of this call has taken a lease.
    var hasTakenLease: Bool { flags.withLock { $0.tookLease } }

    /// Notes that an attempt waited for another replica's whole run of pending migrations.
    func noteWaitedForAnotherRun() { flags.withLock { $0.waitedForAnotherRun = true } }

    /// Whether an attempt waited for another replica's run since the last call, and forgets it.
    func takeWaitedForAnotherRun() -> Bool {
        flags.withLock { flags in
            defer { flags.waitedForAnotherRun = false }
            return flags.waitedForAnotherRun
        }
    }
}
