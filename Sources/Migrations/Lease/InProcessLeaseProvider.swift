import Synchronization

/// Leases that exclude runs within this process only: for tests and single-process services.
///
/// Leases never expire; they are released by the runner on every path.
public final class InProcessLeaseProvider: MigrationLeaseProvider {
    private struct State {
        var holders: [String: (token: String, holder: LeaseHolder)] = [:]
        var fences: [String: UInt64] = [:]
    }

    private struct HeldElsewhere: Error {
        let holder: LeaseHolder
    }

    private let state = Mutex(State())

    /// Creates a provider with no leases held.
    public init() {}

    /// Takes the lease if nobody in this process holds it.
    public func acquire(_ request: LeaseRequest) async throws -> LeaseAcquisition {
        let token = LeaseToken.random()
        let outcome: Result<UInt64, HeldElsewhere> = state.withLock { state in
            if let existing = state.holders[request.name] { return .failure(HeldElsewhere(holder: existing.holder)) }
            let fencingToken = (state.fences[request.name] ?? 0) + 1
            var holder = request.holder
            holder.fencingToken = fencingToken
            state.fences[request.name] = fencingToken
            state.holders[request.name] = (token, holder)
            return .success(fencingToken)
        }
        switch outcome {
        case .failure(let held):
            return .heldBy(held.holder)
        case .success(let fencingToken):
            let fence = LeaseFence(token: token, fencingToken: fencingToken)
            return .acquired(Lease(name: request.name, fence: fence, owner: self), completionChecked: false)
        }
    }

    /// The current holder of a migration's lease, if any.
    public func holder(of name: String) -> LeaseHolder? {
        state.withLock { $0.holders[name]?.holder }
    }

    fileprivate func release(_ name: String, token: String) {
        state.withLock { state in
            if state.holders[name]?.token == token { state.holders[name] = nil }
        }
    }

    fileprivate func isHeld(_ name: String, token: String) -> Bool {
        state.withLock { $0.holders[name]?.token == token }
    }

    private struct Lease: MigrationLease {
        let name: String
        let fence: LeaseFence
        let owner: InProcessLeaseProvider
        var timeToLive: Duration? { nil }

        func renew() async throws -> Bool { owner.isHeld(name, token: fence.token) }
        func release() async throws { owner.release(name, token: fence.token) }
    }
}
