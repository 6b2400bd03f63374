import Synchronization

/// The lease of a running attempt as its supervisor keeps it: the lease, its local deadline, and whether
/// it was lost.
///
/// The local deadline is the last successful renewal (or the acquisition) plus the TTL less 10 % for
/// clock drift. The attempt asks ``isHeld(at:)`` before it starts `up` or `down`: the supervisor's
/// renewals answer it, so the happy path costs no extra round trip.
final class KeptLease: Sendable {
    /// The lease itself.
    let lease: any MigrationLease
    /// When the successful acquisition attempt started, on the runner's clock: renewals count from here.
    let acquiredAt: Duration
    private let onLoss: @Sendable () -> Void

    private struct State {
        var deadline: Duration?
        var lost = false
    }

    private let state: Mutex<State>

    /// - Parameters:
    ///   - lease: The held lease.
    ///   - acquiredAt: When the successful acquisition attempt started, on the runner's clock.
    ///   - onLoss: Called once, when the lease is first marked lost.
    init(_ lease: any MigrationLease, acquiredAt: Duration, onLoss: @escaping @Sendable () -> Void = {}) {
        self.lease = lease
        self.acquiredAt = acquiredAt
        self.onLoss = onLoss
        self.state = Mutex(State(deadline: lease.timeToLive.map { acquiredAt + Self.margin($0) }))
    }

    /// Whether the lease is still ours at `now`: not lost, and its local deadline not passed.
    func isHeld(at now: Duration) -> Bool {
        state.withLock { state in
            guard !state.lost else { return false }
            guard let deadline = state.deadline else { return true }
            return now < deadline
        }
    }

    /// The local deadline, `nil` for leases that never expire.
    var deadline: Duration? {
        state.withLock { $0.deadline }
    }

    /// Records a successful renewal whose request was sent at `sentAt`.
    func renewed(sentAt: Duration) {
        guard let timeToLive = lease.timeToLive else { return }
        state.withLock { state in
            guard !state.lost else { return }
            state.deadline = max(state.deadline ?? sentAt, sentAt + Self.margin(timeToLive))
        }
    }

    /// Marks the lease lost; it is never held again.
    func markLost() {
        let first = state.withLock { state in
            defer { state.lost = true }
            return !state.lost
        }
        if first { onLoss() }
    }

    private static func margin(_ timeToLive: Duration) -> Duration {
        timeToLive - timeToLive / 10
    }
}
