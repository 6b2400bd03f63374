public import Migrations

/// A backend made of a state store and a lease provider chosen separately: for a test that replaces one
/// of them (a store that fails on purpose, leases held by a simulated other process).
///
/// An application's own code uses one backend value (``InMemoryMigrationBackend``, a file or Redis
/// backend), where the store and the leases always agree.
public struct TestMigrationBackend<StateStore: MigrationStateStore, LeaseProvider: MigrationLeaseProvider>:
    MigrationBackend
{
    /// The state store.
    public let stateStore: StateStore
    /// The lease provider.
    public let leaseProvider: LeaseProvider

    /// Combines a store and a lease provider.
    ///
    /// - Parameters:
    ///   - stateStore: The state store.
    ///   - leaseProvider: The lease provider.
    public init(stateStore: StateStore, leaseProvider: LeaseProvider) {
        self.stateStore = stateStore
        self.leaseProvider = leaseProvider
    }

    /// `test backend`.
    public var description: String { "test backend" }
}

extension InProcessLeaseProvider {
    /// Takes `name`'s lease as another holder would, so that a test can see a run wait for it or
    /// refuse it.
    ///
    /// - Parameters:
    ///   - name: The migration's name.
    ///   - holder: Who holds it.
    /// - Returns: The lease; release it to let runs go on.
    /// - Throws: ``MigrationExpectationFailure`` when the lease is held already.
    public func hold(_ name: String, as holder: LeaseHolder) async throws -> any MigrationLease {
        let acquisition = try await acquire(LeaseRequest(name: name, holder: holder, skipIfCompleted: false))
        guard case .acquired(let lease, _) = acquisition else {
            throw MigrationExpectationFailure("could not take the lease of \(name): it is held")
        }
        return lease
    }
}
