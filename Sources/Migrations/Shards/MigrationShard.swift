/// One shard of a sharded migration: shard ``index`` of ``count``, what ``MigrationContext/shard`` gives
/// the step.
///
/// Each shard keeps its own state under the migration's: its lease, fencing token, checkpoint and
/// completion marker are stored as those of ``storageName(of:)``, `<name>:shard:<k>`.
public struct MigrationShard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The shard's number, from `0` to `count - 1`.
    public let index: Int
    /// How many shards the migration has.
    public let count: Int

    /// Creates a shard.
    ///
    /// - Parameters:
    ///   - index: The shard's number, from `0` to `count - 1`.
    ///   - count: How many shards the migration has.
    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// The shard's part of a range of keys: the range split into ``count`` contiguous slices whose sizes
    /// differ by at most one, the first ones larger.
    ///
    /// - Parameter range: All the keys, such as `minId..<(maxId + 1)`.
    /// - Returns: This shard's slice; empty when the range has fewer keys than there are shards.
    public func slice(of range: Range<Int>) -> Range<Int> {
        let size = range.count / count
        let larger = range.count % count
        let start = range.lowerBound + index * size + min(index, larger)
        return start..<(start + size + (index < larger ? 1 : 0))
    }

    /// Whether a key belongs to this shard when keys are spread by a hash: `hash % count == index`.
    ///
    /// Use a hash that is the same in every process (an integer id, a stored hash), never Swift's
    /// `hashValue`, which is seeded differently in every process.
    ///
    /// - Parameter hash: The key's stable hash.
    public func owns(_ hash: UInt64) -> Bool {
        hash % UInt64(count) == UInt64(index)
    }

    /// The name the shard's own state is stored under: `<migration>:shard:<index>`.
    ///
    /// - Parameter migration: The migration's name.
    public func storageName(of migration: String) -> String {
        "\(migration):shard:\(index)"
    }

    /// `shard 3 of 64`.
    public var description: String { "shard \(index) of \(count)" }
}
