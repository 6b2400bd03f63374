/// How a migration splits its work across the fleet: into a fixed number of shards, each leased, fenced,
/// checkpointed and completed on its own, so that many replicas run one backfill at once.
///
/// ```swift
/// struct BackfillOrderTotals: Migration {
///     let name = "2026-12-01-backfill-order-totals"
///     let sharding: MigrationSharding? = .count(64)
///
///     func up(_ context: MigrationContext<AppServices>) async throws {
///         let shard = context.shard!                    // shard k of 64
///         let ids = shard.slice(of: 0..<10_000_000)     // this shard's contiguous id range
///         try await context.iterate(from: ids.lowerBound, size: 1_000) { start, size in
///             ...                                       // resumes from this shard's checkpoint
///         }
///     }
/// }
/// ```
///
/// The migration is still one migration: its completion is recorded once, by whichever replica completes
/// the last shard, and `status` shows it as one row with every shard's state.
public struct MigrationSharding: Sendable, Hashable, Codable {
    /// How many shards the work is split into: at least 1, at most ``maximumCount``.
    public let count: Int

    /// The largest shard count a migration may declare.
    public static let maximumCount = 1024

    private init(count: Int) {
        self.count = count
    }

    /// `count` shards, numbered `0..<count`; the migration maps shard `k` to its part of the work
    /// (``MigrationShard/slice(of:)`` for a key range, ``MigrationShard/owns(_:)`` for `hash(id) % count`).
    ///
    /// - Parameter count: The number of shards, from 1 to ``maximumCount``. The registry refuses another.
    public static func count(_ count: Int) -> MigrationSharding {
        MigrationSharding(count: count)
    }

    /// Every shard of the split.
    public var shards: [MigrationShard] {
        (0..<max(0, count)).map { MigrationShard(index: $0, count: count) }
    }

    /// Checks the count, naming the migration in the error.
    func validate(for name: String) throws(MigrationError) {
        guard (1...Self.maximumCount).contains(count) else {
            throw MigrationError(
                .invalidConfiguration,
                "migration '\(name)' declares \(count) shards; a sharded migration has from 1 to "
                    + "\(Self.maximumCount) shards",
                migration: name)
        }
    }
}
