/// Marks a migration as running across processes, so that one holder at a time runs it.
///
/// The runner acquires a lease before `up` or `down`, renews it while the step runs (see
/// ``MigrationLease/renewalInterval``), and releases it on every path: success, failure, timeout and
/// cancellation. A lease held by a process that died expires (Redis) or is released by the kernel
/// (file locks), so a crash never leaves a migration stuck.
///
/// Ships with ``InProcessLeaseProvider`` (one process), ``FileLeaseProvider`` (processes on one machine)
/// and, in the `MigrationsRedis` module, `RedisLeaseProvider` (a fleet).
public protocol MigrationLeaseProvider: Sendable {
    /// Tries once to take a migration's lease.
    ///
    /// - Parameter request: The migration, the holder to record, and whether to refuse when completed.
    /// - Returns: The lease, the current holder, or ``LeaseAcquisition/alreadyCompleted`` when the
    ///   provider can see the completion marker and the request asked to skip completed migrations.
    func acquire(_ request: LeaseRequest) async throws -> LeaseAcquisition

    /// Waits until the lease might have been released, or at most `timeout`.
    ///
    /// Returning early is allowed: the runner tries ``acquire(_:)`` again after every return.
    func waitForRelease(of name: String, timeout: Duration) async throws

    /// Waits until another replica's whole run of pending migrations might have ended, or at most
    /// `timeout`: the wait of a replica that found the lease of `name` held by a holder that goes on to
    /// the next pending migration after it (``LeaseHolder/pendingRun``).
    ///
    /// It must end when the holder wakes the run's waiters (``wakeWaiters(ofPendingRun:)``), and no later
    /// than the lease of `name` would expire if its holder died, so that a replica still takes over from a
    /// crashed holder. The default waits for the lease of `name` alone (``waitForRelease(of:timeout:)``).
    ///
    /// - Parameters:
    ///   - run: The holder's ``LeaseHolder/pendingRun``.
    ///   - name: The migration whose lease was found held.
    ///   - timeout: How long to wait at most.
    func waitForPendingRun(_ run: String, holding name: String, timeout: Duration) async throws

    /// Wakes every replica waiting for a run of pending migrations (``waitForPendingRun(_:holding:timeout:)``).
    ///
    /// The runner calls it when the run ends, on every path, and when the run reaches a sharded migration,
    /// whose shards the waiters are to share. The default does nothing.
    ///
    /// - Parameter run: The run's ``LeaseHolder/pendingRun``.
    func wakeWaiters(ofPendingRun run: String) async throws

    /// Tries once to take the lease of any free shard of a sharded migration.
    ///
    /// The default tries ``acquire(_:)`` on each shard's ``MigrationShard/storageName(of:)`` in
    /// ``ShardLeaseRequest/searchOrder``; a provider that can look at every shard in one step replaces it.
    ///
    /// - Parameter request: The migration, its shard count, the holder and where to start looking.
    /// - Returns: A free shard's lease, the holders of the held ones, or ``ShardAcquisition/noneLeft``.
    func claimShard(_ request: ShardLeaseRequest) async throws -> ShardAcquisition
}

extension MigrationLeaseProvider {
    /// Sleeps for a short, bounded interval: a polling fallback for providers that cannot be notified.
    ///
    /// - Parameters:
    ///   - name: The migration whose lease is held.
    ///   - timeout: How long to wait at most.
    public func waitForRelease(of name: String, timeout: Duration) async throws {
        try await Task.sleep(for: min(timeout, .milliseconds(100)))
    }

    /// Waits for the lease of `name` alone: a provider that cannot tell when a whole run ends wakes
    /// for each migration.
    ///
    /// - Parameters:
    ///   - run: The holder's ``LeaseHolder/pendingRun``; not used.
    ///   - name: The migration whose lease was found held.
    ///   - timeout: How long to wait at most.
    public func waitForPendingRun(_ run: String, holding name: String, timeout: Duration) async throws {
        try await waitForRelease(of: name, timeout: timeout)
    }

    /// Does nothing: no replica waits for a whole run with a provider that keeps the default wait.
    ///
    /// - Parameter run: The run whose waiters are woken.
    public func wakeWaiters(ofPendingRun run: String) async throws {}
}

/// A request to take a migration's lease.
public struct LeaseRequest: Sendable {
    /// The migration's name.
    public var name: String
    /// Who is asking, recorded with the lease for operators.
    public var holder: LeaseHolder
    /// Whether a provider that can see completion state should answer ``LeaseAcquisition/alreadyCompleted``.
    public var skipIfCompleted: Bool

    /// Creates a request.
    public init(name: String, holder: LeaseHolder, skipIfCompleted: Bool) {
        self.name = name
        self.holder = holder
        self.skipIfCompleted = skipIfCompleted
    }
}

/// The answer to a ``LeaseRequest``.
public enum LeaseAcquisition: Sendable {
    /// The lease is ours. `completionChecked` says whether the provider also verified, atomically
    /// with the acquisition, that the migration is not completed.
    case acquired(any MigrationLease, completionChecked: Bool)
    /// Someone else holds it; the holder is given when known.
    case heldBy(LeaseHolder?)
    /// The migration is already completed (only when the request asked to skip completed ones).
    case alreadyCompleted
}
