import Foundation
public import Migrations
public import RedisClient

/// Reads and repairs the migration state in Redis without the application's code: what the
/// `migrations` operator tool is built on.
///
/// It knows only the key layout (``RedisMigrationKeys``), so it finds migrations by scanning for their
/// keys, never by asking a registry. Discovery uses `SCAN` (never `KEYS`, which blocks the server), and
/// reads are pipelined in batches, so inspecting a thousand migrations costs a handful of round trips.
///
/// ```swift
/// let connection = try await RedisConnection(configuration: .fromEnvironment())
/// let inspector = RedisMigrationInspector(connection: connection)
/// for (name, state) in try await inspector.states() {
///     print(name, state.isCompleted ? "completed" : "not completed")
/// }
/// ```
///
/// ## Topics
///
/// ### Finding migrations
/// - ``migrationNames()``
/// - ``states()``
/// - ``states(for:)``
///
/// ### One migration
/// - ``details(of:)``
/// - ``reset(_:)``
///
/// ### Leases
/// - ``leases()``
/// - ``lease(of:)``
/// - ``release(_:token:)``
/// - ``forceUnlock(_:)``
public struct RedisMigrationInspector: Sendable {
    /// The connection every command goes through.
    public let connection: RedisConnection
    /// The key layout.
    public let keys: RedisMigrationKeys
    /// How many migrations are read in one pipeline; 100 by default.
    public var batchSize: Int
    /// The `COUNT` hint of each `SCAN` call; 1,000 by default.
    public var scanCount: Int

    /// The key suffixes whose presence makes a migration show up in ``migrationNames()``.
    public static let discoverySuffixes: Set<String> = [
        "completed", "result", "error", "failure", "lease", "checkpoint", "control", "history", "shards",
    ]

    /// Creates an inspector.
    ///
    /// - Parameters:
    ///   - connection: An open connection; the inspector never closes it.
    ///   - keys: The key layout; prefix `migration` by default.
    ///   - batchSize: How many migrations to read in one pipeline.
    ///   - scanCount: The `COUNT` hint of each `SCAN` call.
    public init(
        connection: RedisConnection,
        keys: RedisMigrationKeys = RedisMigrationKeys(),
        batchSize: Int = 100,
        scanCount: Int = 1000
    ) {
        self.connection = connection
        self.keys = keys
        self.batchSize = max(1, batchSize)
        self.scanCount = max(1, scanCount)
    }

    // MARK: - Discovery

    /// The names of every migration with a `:completed`, `:result`, `:error`, `:lease` (or another of
    /// ``discoverySuffixes``) key under the prefix, sorted. The keys of a sharded migration's shards
    /// (`<name>:shard:<k>:…`) count for the migration itself, never as migrations of their own.
    ///
    /// One `SCAN` pass over `<prefix>:*` (the prefix's glob characters escaped); each key is mapped back to
    /// its migration with ``RedisMigrationKeys/migrationName(fromKey:)``.
    ///
    /// - Throws: `RedisError` when Redis cannot be reached or refuses the command.
    public func migrationNames() async throws -> [String] {
        try await discoverMigrations().names
    }

    /// Every migration found, as ``migrationNames()``, with the shard count of each sharded one: its
    /// `:shards` key while a run is unfinished, else one more than the highest shard number that has keys.
    ///
    /// - Throws: `RedisError` when Redis cannot be reached or refuses a command.
    public func discoverMigrations() async throws -> (names: [String], shardCounts: [String: Int]) {
        let pattern = RedisMigrationKeys.escapeGlob(keys.prefix) + ":*"
        var names: Set<String> = []
        var highestShard: [String: Int] = [:]
        var declared: [String] = []
        try await scan(matching: pattern) { key in
            guard let (name, suffix) = keys.migrationName(fromKey: key), Self.discoverySuffixes.contains(suffix)
            else { return }
            if let (base, index) = Self.shardName(name) {
                names.insert(base)
                highestShard[base] = max(highestShard[base] ?? 0, index)
            } else {
                names.insert(name)
                if suffix == "shards" { declared.append(name) }
            }
        }
        var counts = highestShard.mapValues { $0 + 1 }
        if !declared.isEmpty {
            let replies = try await connection.pipeline(declared.map { ["GET", keys.shards($0)] })
            for (name, reply) in zip(declared, replies) {
                if let count = reply.string.flatMap(Int.init), count > 0 { counts[name] = count }
            }
        }
        return (names.sorted(), counts)
    }

    /// The summary of a sharded migration's shards, read in one round trip.
    ///
    /// - Parameters:
    ///   - name: The migration's name.
    ///   - count: Its shard count, from ``discoverMigrations()``.
    ///   - migrationCompleted: Whether the migration is completed.
    /// - Throws: `RedisError` when Redis cannot be reached.
    public func shards(of name: String, count: Int, migrationCompleted: Bool) async throws -> MigrationShardsSummary {
        let shards = MigrationSharding.count(min(count, MigrationSharding.maximumCount)).shards
        let states = try await self.states(for: shards.map { $0.storageName(of: name) }).map(\.state)
        return MigrationShardsSummary(states: states, migrationCompleted: migrationCompleted)
    }

    /// `(base, k)` for a shard's storage name `<base>:shard:<k>`.
    static func shardName(_ name: String) -> (base: String, index: Int)? {
        guard let range = name.range(of: ":shard:", options: .backwards),
            let index = Int(name[range.upperBound...]), index >= 0, range.lowerBound > name.startIndex
        else { return nil }
        return (String(name[..<range.lowerBound]), index)
    }

    /// The stored state of every migration found by ``migrationNames()``.
    ///
    /// - Returns: Pairs of name and state, sorted by name.
    /// - Throws: `RedisError` when Redis cannot be reached or refuses a command.
    public func states() async throws -> [(name: String, state: StoredMigrationState)] {
        try await states(for: migrationNames())
    }

    /// The status row of every migration found, with the shards of the sharded ones.
    ///
    /// - Throws: `RedisError` when Redis cannot be reached or refuses a command.
    public func statusRows() async throws -> [MigrationStatusRow] {
        let (names, shardCounts) = try await discoverMigrations()
        var rows: [MigrationStatusRow] = []
        for (name, state) in try await states(for: names) {
            var row = MigrationStatusRow(name: name, stored: state)
            if let count = shardCounts[name] {
                let shards = try await shards(of: name, count: count, migrationCompleted: state.isCompleted)
                row.shards = shards
                row.state = MigrationStatusRow.state(of: state, shards: shards)
            }
            rows.append(row)
        }
        return rows
    }

    /// The stored state of the given migrations, decoded exactly as ``RedisStateStore/states(for:)`` decodes them:
    /// completion, last result and error, the lease holder with its TTL left, published progress, and a
    /// ``StoredMigrationState/problem`` for keys holding foreign data.
    ///
    /// - Parameter names: The migrations to read, in the order wanted.
    /// - Returns: Pairs of name and state, in the order of `names`.
    /// - Throws: `RedisError` when Redis cannot be reached.
    public func states(for names: [String]) async throws -> [(name: String, state: StoredMigrationState)] {
        let store = RedisStateStore(connection: connection, keys: keys)
        var states: [(name: String, state: StoredMigrationState)] = []
        states.reserveCapacity(names.count)
        var start = 0
        while start < names.count {
            let batch = Array(names[start..<min(names.count, start + batchSize)])
            for (name, state) in zip(batch, try await store.fetchStates(batch)) { states.append((name, state)) }
            start += batchSize
        }
        return states
    }

    // MARK: - Scanning

    /// Calls `body` with every key matching `pattern`, one `SCAN` page at a time.
    func scan(matching pattern: String, _ body: (String) throws -> Void) async throws {
        var cursor = "0"
        repeat {
            let reply = try await connection.send(["SCAN", cursor, "MATCH", pattern, "COUNT", String(scanCount)])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let page = parts[1].array
            else {
                throw RedisError.unexpectedReply(reply, expected: "a cursor and a page of keys", command: "SCAN")
            }
            for key in page {
                if let key = key.string { try body(key) }
            }
            cursor = next
        } while cursor != "0"
    }
}
