/// A request to take the lease of any free shard of a sharded migration.
public struct ShardLeaseRequest: Sendable {
    /// The migration's name.
    public var name: String
    /// How many shards it has.
    public var count: Int
    /// Who is asking, recorded with the lease.
    public var holder: LeaseHolder
    /// The shard to look at first; the search goes on from there in order, wrapping around, so replicas
    /// that start at different shards rarely ask for the same one.
    public var startingAt: Int
    /// Shards this run already knows to be completed, which a provider need not look at again.
    public var knownCompleted: Set<Int>

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - name: The migration's name.
    ///   - count: How many shards it has.
    ///   - holder: Who is asking.
    ///   - startingAt: The shard to look at first.
    ///   - knownCompleted: Shards known to be completed.
    public init(name: String, count: Int, holder: LeaseHolder, startingAt: Int = 0, knownCompleted: Set<Int> = []) {
        self.name = name
        self.count = count
        self.holder = holder
        self.startingAt = startingAt
        self.knownCompleted = knownCompleted
    }

    /// The shards in the order a claim looks at them.
    public var searchOrder: [Int] {
        guard count > 0 else { return [] }
        let start = ((startingAt % count) + count) % count
        return (0..<count).map { (start + $0) % count }.filter { !knownCompleted.contains($0) }
    }
}

/// The answer to a ``ShardLeaseRequest``.
public enum ShardAcquisition: Sendable {
    /// A shard's lease is ours.
    case acquired(ClaimedShard)
    /// Every shard not completed is held by another process: these, with their holders where known.
    case allHeld([Int: LeaseHolder?])
    /// Every shard is completed, or the migration is.
    case noneLeft
}

extension MigrationLeaseProvider {
    /// Tries the shards in ``ShardLeaseRequest/searchOrder`` with ``acquire(_:)`` until one is taken: one
    /// attempt per shard. A provider that can do it in one step (Redis, in one script) replaces it.
    ///
    /// - Parameter request: The migration, its shard count and the holder.
    /// - Returns: The first free shard's lease, the holders of all of them, or ``ShardAcquisition/noneLeft``.
    public func claimShard(_ request: ShardLeaseRequest) async throws -> ShardAcquisition {
        var held: [Int: LeaseHolder?] = [:]
        for index in request.searchOrder {
            let shard = MigrationShard(index: index, count: request.count)
            let lease = LeaseRequest(
                name: shard.storageName(of: request.name), holder: request.holder, skipIfCompleted: true)
            switch try await acquire(lease) {
            case .acquired(let lease, let completionChecked):
                return .acquired(
                    ClaimedShard(lease: lease, shard: shard, completionChecked: completionChecked, state: nil))
            case .heldBy(let holder):
                held[index] = holder
            case .alreadyCompleted:
                continue
            }
        }
        return held.isEmpty ? .noneLeft : .allHeld(held)
    }
}

/// A shard whose lease a ``MigrationLeaseProvider/claimShard(_:)`` took.
public struct ClaimedShard: Sendable {
    /// The shard's lease.
    public var lease: any MigrationLease
    /// The shard.
    public var shard: MigrationShard
    /// Whether the provider verified, atomically with the acquisition, that the shard is not completed.
    public var completionChecked: Bool
    /// The shard's state (its checkpoint, its last failure) as the provider read it with the acquisition,
    /// when it did; the runner reads it from the store otherwise.
    public var state: StoredMigrationState?

    /// Creates a claimed shard.
    ///
    /// - Parameters:
    ///   - lease: The shard's lease.
    ///   - shard: The shard.
    ///   - completionChecked: Whether the shard was verified not completed with the acquisition.
    ///   - state: The shard's state read with the acquisition, if it was.
    public init(lease: any MigrationLease, shard: MigrationShard, completionChecked: Bool, state: StoredMigrationState?)
    {
        self.lease = lease
        self.shard = shard
        self.completionChecked = completionChecked
        self.state = state
    }
}
