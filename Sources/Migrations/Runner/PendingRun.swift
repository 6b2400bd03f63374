import Synchronization

/// One ``MigrationRunner/runPending(context:options:)`` call, as its attempts see it.
///
/// Its id goes into every lease the call takes (``LeaseHolder/pendingRun``), so a replica that finds one
/// of them held waits for the whole call to end (``MigrationLeaseProvider/waitForPendingRun(_:holding:timeout:)``)
/// rather than for each migration. The call wakes those replicas when it ends, and when it reaches a
/// sharded migration, whose shards they are to share (``MigrationLeaseProvider/wakeWaiters(ofPendingRun:)``).
/// A waiter that was woken so reads the completion of the rest again at once, in one read, instead of
/// asking for each lease in turn.
///
/// It also carries the lease of the next migration from one attempt to the next: the call plans which
/// migration it tries after the one it runs, the attempt takes that one's lease with its own completion
/// (``MigrationBackend/markCompleted(_:fence:acquiringNext:)``), and the next attempt starts from it.
final class PendingRun: Sendable {
    /// The id recorded in the call's leases.
    let id = MigrationRunID.random()
    private let flags = Mutex(Flags())

    private struct Flags {
        var tookLease = false
        var waitedForAnotherRun = false
        var planned: (after: String, request: LeaseRequest)?
        var prefetched: Prefetched?
    }

    /// A lease taken, or found held, with the completion of the migration before it.
    struct Prefetched: Sendable {
        /// The request it answers.
        let request: LeaseRequest
        /// The answer.
        let acquisition: LeaseAcquisition
        /// When the step that took it started, on the runner's clock: where the lease's local expiry counts from.
        let attemptStart: Duration
    }

    /// Plans the migration tried after `name`, and hands back a lease taken for any other migration
    /// than `name`, which no attempt will use, for the caller to release.
    ///
    /// - Parameters:
    ///   - next: The next migration's lease request, or `nil` when it is not to be taken early.
    ///   - name: The migration about to run.
    func plan(_ next: LeaseRequest?, after name: String) -> LeaseAcquisition? {
        flags.withLock { flags in
            flags.planned = next.map { (name, $0) }
            guard let prefetched = flags.prefetched, prefetched.request.name != name else { return nil }
            flags.prefetched = nil
            return prefetched.acquisition
        }
    }

    /// The planned request of the migration tried after `name`, if there is one.
    func nextRequest(after name: String) -> LeaseRequest? {
        flags.withLock { flags in flags.planned.flatMap { $0.after == name ? $0.request : nil } }
    }

    /// Keeps an answer, for the attempt of its migration to start from.
    func keep(_ prefetched: Prefetched) { flags.withLock { $0.prefetched = prefetched } }

    /// The run id recorded in the lease taken early for `name`, if there is one: its attempt's id.
    func prefetchedRunId(for name: String) -> String? {
        flags.withLock { flags in
            flags.prefetched.flatMap { $0.request.name == name ? $0.request.holder.runId : nil }
        }
    }

    /// The answer kept for `name`, once.
    func takePrefetched(for name: String) -> Prefetched? {
        flags.withLock { flags in
            guard let prefetched = flags.prefetched, prefetched.request.name == name else { return nil }
            flags.prefetched = nil
            return prefetched
        }
    }

    /// The answer kept and never used, once: when the call ends, its lease is to be released.
    func takeUnused() -> LeaseAcquisition? {
        flags.withLock { flags in
            defer { flags.prefetched = nil }
            return flags.prefetched?.acquisition
        }
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
