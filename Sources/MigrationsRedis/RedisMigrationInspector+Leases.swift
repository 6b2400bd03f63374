public import Foundation
public import Migrations
import RedisClient

/// A lease read back from Redis: its value, and how long it has left.
public struct RedisLeaseInspection: Sendable, Equatable {
    /// The migration the lease is on.
    public var name: String
    /// The stored value: owner token, holder, fencing token and the TTL each renewal sets.
    public var value: RedisLeaseValue
    /// Milliseconds until the lease expires; `nil` when the key has no expiry (written by hand).
    public var ttlLeftMilliseconds: Int64?

    /// Creates an inspection.
    public init(name: String, value: RedisLeaseValue, ttlLeftMilliseconds: Int64?) {
        self.name = name
        self.value = value
        self.ttlLeftMilliseconds = ttlLeftMilliseconds
    }

    /// The holder, with the TTL left.
    public var holder: LeaseHolder {
        value.holder(ttlLeftMilliseconds: ttlLeftMilliseconds)
    }

    /// Seconds since the holder first acquired the lease.
    public func ageSeconds(at now: Date = Date()) -> Double {
        max(0, now.timeIntervalSince(value.acquiredAt))
    }

    /// Milliseconds since the last renewal, inferred as the TTL each renewal sets minus the TTL left;
    /// `nil` when the key has no expiry.
    public var millisecondsSinceRefresh: Int64? {
        ttlLeftMilliseconds.map { max(0, value.ttlMs - $0) }
    }

    /// Whether the holder is still renewing the lease: renewed within one renewal interval (a third of
    /// the TTL) plus a second of slack. A live holder renews that often, so a lease not renewed for longer
    /// has a stuck or dead holder and is about to expire. A lease without expiry is never considered renewed.
    public var isRecentlyRefreshed: Bool {
        guard let since = millisecondsSinceRefresh else { return false }
        return since < value.ttlMs / 3 + 1000
    }
}

/// A `:lease` key whose value is not a lease value of ours: garbage, or another tool's JSON. It still
/// blocks every run of its migration until it expires or is cleared.
public struct RedisForeignLease: Sendable, Equatable {
    /// The migration the key is on.
    public var name: String
    /// The key.
    public var key: String
    /// The stored value, byte for byte: what ``RedisMigrationInspector/forceUnlock(_:expecting:)`` compares.
    public var raw: [UInt8]
    /// Milliseconds until the key expires; `nil` when it has no expiry.
    public var ttlLeftMilliseconds: Int64?

    /// Creates a description of a foreign lease value.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - key: The `:lease` key.
    ///   - raw: The value.
    ///   - ttlLeftMilliseconds: The TTL left, if any.
    public init(name: String, key: String, raw: [UInt8], ttlLeftMilliseconds: Int64?) {
        self.name = name
        self.key = key
        self.raw = raw
        self.ttlLeftMilliseconds = ttlLeftMilliseconds
    }

    /// The value as text for a person: invalid UTF-8 replaced, cut to `limit` characters with `…`.
    ///
    /// - Parameter limit: The most characters shown.
    public func preview(limit: Int = 80) -> String {
        let text = String(decoding: raw, as: UTF8.self)
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}

// MARK: - Reading leases

extension RedisMigrationInspector {
    /// Every live lease under the prefix, sorted by migration name.
    ///
    /// One `SCAN` pass for `<prefix>:*:lease`, then one pipelined `GET` and `PTTL` per batch. Keys that
    /// expired in between, and keys holding foreign data, are left out.
    ///
    /// - Throws: `RedisError` when Redis cannot be reached.
    public func leases() async throws -> [RedisLeaseInspection] {
        try await allLeases().leases
    }

    /// Every `:lease` key under the prefix whose value is not a lease value of ours, sorted by name.
    ///
    /// - Throws: `RedisError` when Redis cannot be reached or refuses the commands.
    public func foreignLeases() async throws -> [RedisForeignLease] {
        try await allLeases().foreign
    }

    /// Every `:lease` key, split into ours and foreign ones; one `SCAN` pass, then pipelined reads.
    public func allLeases() async throws -> (leases: [RedisLeaseInspection], foreign: [RedisForeignLease]) {
        var names: Set<String> = []
        try await scan(matching: keys.scanPattern(suffix: "lease")) { key in
            if let (name, suffix) = keys.migrationName(fromKey: key), suffix == "lease" { names.insert(name) }
        }
        let sorted = names.sorted()
        var leases: [RedisLeaseInspection] = []
        var foreign: [RedisForeignLease] = []
        var start = 0
        while start < sorted.count {
            let batch = Array(sorted[start..<min(sorted.count, start + batchSize)])
            let replies = try RedisStateStore.failingOnServerState(
                try await connection.pipeline(batch.flatMap { [["GET", keys.lease($0)], ["PTTL", keys.lease($0)]] }))
            for (index, name) in batch.enumerated() {
                let ttl = ttlLeft(replies[index * 2 + 1])
                switch replies[index * 2] {
                case .bulk(let bytes):
                    if let value = RedisLeaseValue.decode(bytes) {
                        leases.append(RedisLeaseInspection(name: name, value: value, ttlLeftMilliseconds: ttl))
                    } else {
                        foreign.append(
                            RedisForeignLease(name: name, key: keys.lease(name), raw: bytes, ttlLeftMilliseconds: ttl))
                    }
                case .error(let message):
                    let shown = Array("(not a string: \(message.prefix { $0 != " " }))".utf8)
                    foreign.append(
                        RedisForeignLease(name: name, key: keys.lease(name), raw: shown, ttlLeftMilliseconds: ttl))
                default:
                    continue
                }
            }
            start += batchSize
        }
        return (leases, foreign)
    }

    /// The `:lease` key of one migration when it holds a value that is not ours.
    ///
    /// - Parameter name: The migration.
    /// - Returns: The foreign value, or `nil` when there is no lease or it is one of ours.
    /// - Throws: `RedisError` when Redis cannot be reached or refuses the commands.
    public func foreignLease(of name: String) async throws -> RedisForeignLease? {
        let key = keys.lease(name)
        let replies = try RedisStateStore.failingOnServerState(
            try await connection.pipeline([["GET", key], ["PTTL", key]]))
        guard case .bulk(let bytes) = replies[0], RedisLeaseValue.decode(bytes) == nil else { return nil }
        return RedisForeignLease(name: name, key: key, raw: bytes, ttlLeftMilliseconds: ttlLeft(replies[1]))
    }

    /// The lease on one migration, if there is one.
    ///
    /// - Parameter name: The migration.
    /// - Returns: The lease, or `nil` when none is held.
    /// - Throws: ``MigrationError`` with code ``MigrationError/Code-swift.struct/lease`` when the key holds
    ///   data that is not a lease value; `RedisError` when Redis cannot be reached.
    public func lease(of name: String) async throws -> RedisLeaseInspection? {
        let key = keys.lease(name)
        let replies = try RedisStateStore.failingOnServerState(
            try await connection.pipeline([["GET", key], ["PTTL", key]]))
        switch replies[0] {
        case .null:
            return nil
        case .bulk(let bytes):
            guard let value = RedisLeaseValue.decode(bytes) else {
                throw MigrationError(.lease, "\(key) holds data that is not a lease value", migration: name)
            }
            return RedisLeaseInspection(name: name, value: value, ttlLeftMilliseconds: ttlLeft(replies[1]))
        default:
            throw MigrationError(
                .lease, "\(key) holds data that is not a lease value (\(replies[0].errorMessage ?? "not a string"))",
                migration: name)
        }
    }

    /// The TTL of a `PTTL` reply: `nil` for no expiry (-1) or a missing key (-2).
    private func ttlLeft(_ reply: RedisReply) -> Int64? {
        reply.int.flatMap { $0 >= 0 ? $0 : nil }
    }

    // MARK: - Clearing leases

    /// Deletes a migration's lease if, and only if, it still holds `token`: a compare-and-delete that
    /// cannot remove a lease someone acquired after it was read. Replicas waiting for it wake up.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - token: The owner token read from the lease (``RedisLeaseValue/token``).
    /// - Returns: Whether the lease was deleted.
    /// - Throws: `RedisError` when Redis cannot be reached.
    public func release(_ name: String, token: String) async throws -> Bool {
        let reply = try await connection.evaluate(
            RedisMigrationScripts.release,
            keys: [keys.lease(name), keys.progress(name), keys.waiters(name)],
            arguments: [token, keys.waiterListPrefix(name)])
        return reply.int == 1
    }

    /// Deletes a migration's lease if, and only if, it still holds the token of `value` (as
    /// ``release(_:token:)``); replicas waiting for it, or for the holder's whole run of pending
    /// migrations, wake up.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - value: The lease value read before.
    /// - Returns: Whether the lease was deleted.
    /// - Throws: `RedisError` when Redis cannot be reached.
    public func release(_ name: String, value: RedisLeaseValue) async throws -> Bool {
        guard try await release(name, token: value.token) else { return false }
        await RedisRunWaiters.wakeAfterClearing(value, keys: keys, on: connection)
        return true
    }

    /// Deletes a migration's lease whoever holds it, and increments its fencing token, so the old holder
    /// can no longer record a result: the same step as ``RedisLeaseProvider/forceUnlock(_:)``.
    ///
    /// - Parameter name: The migration.
    /// - Returns: The value that was deleted, when it was a lease value.
    /// - Throws: `RedisError` when Redis cannot be reached.
    public func forceUnlock(_ name: String) async throws -> RedisLeaseValue? {
        try await RedisForceUnlock.run(name, keys: keys, on: connection)
    }

    /// The exact bytes stored at a migration's `:lease` key, whatever their shape.
    ///
    /// - Parameter name: The migration.
    /// - Returns: The value, or `nil` when there is no lease.
    /// - Throws: `RedisError` when Redis cannot be reached or refuses the command.
    public func rawLease(of name: String) async throws -> [UInt8]? {
        try await connection.send(["GET", keys.lease(name)]).bytes
    }

    /// Deletes a migration's lease if, and only if, it still holds exactly `value` (the bytes an operator
    /// was shown, whatever their shape), and increments its fencing token so the old holder can no longer
    /// record a result. Replicas waiting for it wake up.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - value: The exact value read before.
    /// - Returns: Whether the lease was deleted; `false` when it changed meanwhile.
    /// - Throws: `RedisError` when Redis cannot be reached or refuses the script.
    public func forceUnlock(_ name: String, expecting value: [UInt8]) async throws -> Bool {
        let reply = try await connection.evaluate(
            RedisMigrationScripts.forceUnlockIfUnchanged,
            keys: [keys.lease(name), keys.fence(name), keys.progress(name), keys.waiters(name)].map { Array($0.utf8) },
            arguments: [Array(keys.waiterListPrefix(name).utf8), value])
        guard reply.int == 1 else { return false }
        await RedisRunWaiters.wakeAfterClearing(RedisLeaseValue.decode(value), keys: keys, on: connection)
        return true
    }
}
