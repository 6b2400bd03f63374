public import Migrations
import RedisClient

/// One key of a migration as read back: whether it exists, its value, its type when not a string, its TTL.
public struct RedisKeyReading: Sendable, Equatable {
    /// The full key, such as `migration:2025-01-15-import-users:result`.
    public var key: String
    /// The suffix, one of ``RedisMigrationKeys/suffixes``.
    public var suffix: String
    /// The Redis type (`string`, `list`…); `none` when the key does not exist.
    public var type: String
    /// The value, when the key holds a string.
    public var value: [UInt8]?
    /// Milliseconds until the key expires; `nil` when it does not expire or does not exist.
    public var ttlLeftMilliseconds: Int64?

    /// Creates a reading.
    public init(key: String, suffix: String, type: String, value: [UInt8]?, ttlLeftMilliseconds: Int64?) {
        self.key = key
        self.suffix = suffix
        self.type = type
        self.value = value
        self.ttlLeftMilliseconds = ttlLeftMilliseconds
    }

    /// Whether the key exists.
    public var exists: Bool { type != "none" }

    /// The value as UTF-8 text, with invalid bytes replaced.
    public var text: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}

/// Everything stored for one migration: each key as read, and what it decodes to.
public struct RedisMigrationDetails: Sendable {
    /// The migration's name.
    public var name: String
    /// The decoded state, as ``RedisStateStore`` sees it (problems name keys with foreign data).
    public var state: StoredMigrationState
    /// The lease, when one is held and holds a lease value.
    public var lease: RedisLeaseInspection?
    /// The fencing token: how many times the lease was acquired or forcibly cleared.
    public var fence: UInt64?
    /// Every key of the layout, in the order of ``RedisMigrationKeys/suffixes``.
    public var keys: [RedisKeyReading]

    /// Creates details.
    public init(
        name: String, state: StoredMigrationState, lease: RedisLeaseInspection?, fence: UInt64?,
        keys: [RedisKeyReading]
    ) {
        self.name = name
        self.state = state
        self.lease = lease
        self.fence = fence
        self.keys = keys
    }

    /// Whether any key of the migration exists.
    public var exists: Bool { keys.contains(where: \.exists) }
}

extension RedisMigrationInspector {
    /// Reads every key of one migration (type, value and TTL) in one pipelined round trip.
    ///
    /// - Parameter name: The migration.
    /// - Returns: The details; ``RedisMigrationDetails/exists`` is `false` when nothing is stored.
    /// - Throws: `RedisError` when Redis cannot be reached.
    public func details(of name: String) async throws -> RedisMigrationDetails {
        let allKeys = RedisMigrationKeys.suffixes.map { (suffix: $0, key: "\(keys.prefix):\(name):\($0)") }
        let replies = try RedisStateStore.failingOnServerState(
            try await connection.pipeline(allKeys.flatMap { [["TYPE", $0.key], ["GET", $0.key], ["PTTL", $0.key]] }))
        var readings: [RedisKeyReading] = []
        var gets: [String: RedisReply] = [:]
        var ttls: [String: RedisReply] = [:]
        for (index, entry) in allKeys.enumerated() {
            let type = replies[index * 3].string ?? "unknown"
            let get = replies[index * 3 + 1]
            let ttl = replies[index * 3 + 2]
            gets[entry.suffix] = get
            ttls[entry.suffix] = ttl
            readings.append(
                RedisKeyReading(
                    key: entry.key, suffix: entry.suffix, type: type,
                    value: type == "string" ? get.bytes : nil,
                    ttlLeftMilliseconds: ttl.int.flatMap { $0 >= 0 ? $0 : nil }))
        }
        let store = RedisStateStore(connection: connection, keys: keys)
        let state = store.decodeState(
            name,
            [
                gets["completed"] ?? .null, gets["result"] ?? .null, gets["error"] ?? .null, gets["lease"] ?? .null,
                ttls["lease"] ?? .null, gets["progress"] ?? .null, gets["failure"] ?? .null,
                gets["checkpoint"] ?? .null, gets["fence"] ?? .null, gets["control"] ?? .null,
            ])
        let lease = gets["lease"]?.bytes.flatMap(RedisLeaseValue.decode).map { value in
            RedisLeaseInspection(
                name: name, value: value, ttlLeftMilliseconds: ttls["lease"]?.int.flatMap { $0 >= 0 ? $0 : nil })
        }
        let fence = gets["fence"]?.string.flatMap { UInt64($0) }
        return RedisMigrationDetails(name: name, state: state, lease: lease, fence: fence, keys: readings)
    }

    /// Deletes a migration's completion marker, last error and failure record (and its checkpoint,
    /// unless kept), so it runs again; `:result` stays as history and a held lease is left alone.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - keepingCheckpoint: Whether `:checkpoint` stays, so the next run resumes from it.
    /// - Returns: The keys that existed and were deleted.
    /// - Throws: `RedisError` when Redis cannot be reached.
    @discardableResult
    public func reset(_ name: String, keepingCheckpoint: Bool = false) async throws -> [String] {
        var targets = [keys.completed(name), keys.error(name), keys.failure(name)]
        if !keepingCheckpoint { targets.append(keys.checkpoint(name)) }
        let replies = try RedisStateStore.failingOnServerState(
            try await connection.pipeline(targets.map { ["DEL", $0] }))
        return zip(targets, replies).compactMap { key, reply in reply.int == 1 ? key : nil }
    }
}
