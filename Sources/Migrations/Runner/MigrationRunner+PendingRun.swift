import Foundation
import Logging

extension MigrationRunner {
    /// The lease request of the migration that ``runPending(context:options:)`` tries after the one at
    /// `index`, when that one is to be taken with this one's completion: a plain migration (no shards, no
    /// state hooks) with no pause or cancel request on it. `nil` when the next one is anything else.
    ///
    /// - Parameters:
    ///   - index: The position of the migration about to run in `remaining`.
    ///   - remaining: The run's migrations.
    ///   - states: Their states, read when the run began.
    ///   - completed: Those found completed since, which the run skips.
    ///   - options: The run's options.
    func nextLeaseRequest(
        after index: Int,
        in remaining: [any Migration<Context>],
        states: [String: StoredMigrationState],
        skipping completed: Set<String>,
        options: MigrationRunOptions
    ) -> LeaseRequest? {
        for next in remaining[(index + 1)...] {
            if Self.skips(next, states: states, completedSince: completed) { continue }
            let state = states[next.name] ?? .pending
            guard next.stateHooks == nil, next.sharding == nil, state.control == nil else { return nil }
            return LeaseRequest(
                name: next.name, holder: leaseHolder(options, runId: MigrationRunID.random()), skipIfCompleted: true)
        }
        return nil
    }

    /// Whether ``runPending(context:options:)`` passes over `migration` without an attempt: it was found
    /// completed when the run began (unless its state hooks keep its completion), or since.
    ///
    /// - Parameters:
    ///   - migration: The migration.
    ///   - states: The states read when the run began.
    ///   - completedSince: Those found completed since.
    static func skips(
        _ migration: any Migration<Context>, states: [String: StoredMigrationState], completedSince: Set<String>
    ) -> Bool {
        if completedSince.contains(migration.name) { return true }
        return (states[migration.name]?.isCompleted ?? false) && migration.stateHooks == nil
    }

    /// Who asks for a lease on behalf of an attempt with `runId`.
    func leaseHolder(_ options: MigrationRunOptions, runId: String) -> LeaseHolder {
        LeaseHolder(
            host: configuration.host.host, pid: configuration.host.pid,
            triggeredBy: options.triggeredBy ?? configuration.triggeredBy, runId: runId,
            pendingRun: options.pendingRun?.id)
    }

    /// Ends a run of pending migrations, on every path: releases a lease it took early for a migration it
    /// did not go on to try, then wakes the replicas waiting for it.
    func end(_ run: PendingRun) async {
        await releaseUnused(run.takeUnused())
        await wakeWaiters(of: run)
    }

    /// Wakes the replicas waiting for this run (when it ends, or reaches a sharded migration), if it took
    /// a lease they could have found. A failure only makes them wait until the lease they saw would have
    /// expired.
    func wakeWaiters(of run: PendingRun) async {
        guard run.hasTakenLease else { return }
        let (provider, id) = (leaseProvider, run.id)
        await evenIfCancelled(
            "could not wake the replicas waiting for this run of pending migrations; they wait until the lease "
                + "they saw would have expired"
        ) { try await provider.wakeWaiters(ofPendingRun: id) }
    }

    /// Releases a lease taken early, with the completion before it, for a migration the run did not go on
    /// to try (it was cancelled, or stopped first). A failure leaves it to expire by its TTL.
    func releaseUnused(_ acquisition: LeaseAcquisition?) async {
        guard case .acquired(let lease, _)? = acquisition else { return }
        await evenIfCancelled(
            "could not release the lease of '\(lease.name)', taken for a migration this run did not try; it "
                + "expires by itself"
        ) { try await lease.release() }
    }

    /// Runs `body` apart from the caller's task, so that a cancelled run still does it, and logs `failure`
    /// with the error if it throws.
    private func evenIfCancelled(_ failure: String, _ body: @escaping @Sendable () async throws -> Void) async {
        let logger = logger
        await Task {
            do {
                try await body()
            } catch {
                logger.notice("\(failure)", metadata: ["error": "\(error)"])
            }
        }.value
    }

    /// Records a completion; when the run planned the migration it tries next, takes that one's lease in
    /// the same step (``MigrationBackend/markCompleted(_:fence:acquiringNext:)``) and keeps the answer
    /// for its attempt.
    func markCompleted(_ result: MigrationResult, fence: LeaseFence, run: PendingRun?) async throws
        -> LeaseDisposition
    {
        guard let run, var next = run.nextRequest(after: result.name) else {
            return try await stateStore.markCompleted(result, fence: fence)
        }
        next.holder.acquiredAt = Date()
        let start = clock.now
        let both = try await backend.markCompleted(result, fence: fence, acquiringNext: next)
        if let acquisition = both.next {
            run.keep(PendingRun.Prefetched(request: next, acquisition: acquisition, attemptStart: start))
        }
        return both.disposition
    }
}
