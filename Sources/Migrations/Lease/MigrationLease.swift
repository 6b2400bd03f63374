/// A held lease on one migration.
///
/// Obtained from ``MigrationLeaseProvider/acquire(_:)``. The runner renews it every
/// ``renewalInterval`` while the step runs and cancels the step if renewal fails or ``timeToLive``
/// passes without a successful renewal.
public protocol MigrationLease: Sendable {
    /// The migration's name.
    var name: String { get }

    /// The owner token and fencing token, passed to fenced store writes.
    var fence: LeaseFence { get }

    /// How long the lease lives without renewal; `nil` for leases that never expire while the process
    /// lives (file locks, in-process leases).
    var timeToLive: Duration? { get }

    /// Renews the lease for another ``timeToLive``.
    ///
    /// - Returns: `false` when the lease is no longer ours (it expired and was taken, or was cleared).
    func renew() async throws -> Bool

    /// Releases the lease if, and only if, it is still ours. Calling it twice is harmless.
    func release() async throws

    /// Publishes the progress of the running step where operators can read it. The default does nothing.
    func publish(progress: ProgressSnapshot) async

    /// Whether ``renewReadingControl()`` also reads the migration's ``MigrationControl`` request (the
    /// Redis lease does, in the renewal script). When it does not, the runner polls the store instead.
    var deliversControl: Bool { get }

    /// Renews the lease and, where the lease can, reads an operator's pending request in the same step.
    ///
    /// - Returns: Whether the lease is still ours, and the request when ``deliversControl``.
    func renewReadingControl() async throws -> (held: Bool, control: MigrationControl?)
}

extension MigrationLease {
    /// The interval between renewals: a third of ``timeToLive``, or `nil` when none is needed.
    public var renewalInterval: Duration? {
        timeToLive.map { $0 / 3 }
    }

    /// Does nothing.
    public func publish(progress: ProgressSnapshot) async {}

    /// `false`: the runner polls the store for requests.
    public var deliversControl: Bool { false }

    /// Renews; reads no request.
    public func renewReadingControl() async throws -> (held: Bool, control: MigrationControl?) {
        (try await renew(), nil)
    }
}

/// What a fenced write must present: the owner's token and the lease's fencing token.
public struct LeaseFence: Sendable, Equatable, Codable {
    /// The random token that identifies the owner of the lease.
    public var token: String
    /// The counter incremented with every acquisition of this migration's lease, if the lease has one.
    public var fencingToken: UInt64?

    /// Creates a fence.
    public init(token: String, fencingToken: UInt64?) {
        self.token = token
        self.fencingToken = fencingToken
    }
}
