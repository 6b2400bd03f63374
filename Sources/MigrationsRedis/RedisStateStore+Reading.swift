import Migrations
import RedisClient

extension RedisStateStore {
    /// How many migrations one `MGET` of a state read covers: 900 keys.
    static let migrationsPerStateRead = 100

    /// Reads the state of `names` in their order: the one read that both ``states(for:)`` and
    /// ``RedisMigrationInspector`` use. An error reply about the server fails it.
    ///
    /// The first round trip is one `MGET` of the nine string keys of each 100 migrations and an `EXISTS` of
    /// the same keys, in a `MULTI` so both see the same instant: 400 commands for 10,000 migrations, not
    /// 100,000. A second one, only when needed, asks the `PTTL` of each lease it found, and reads again key
    /// by key any batch where `EXISTS` counted a key that `MGET` could not read (one of another type), so
    /// that the `WRONGTYPE` names the key.
    func fetchStates(_ names: [String]) async throws(RedisError) -> [StoredMigrationState] {
        guard !names.isEmpty else { return [] }
        let batches = stride(from: 0, to: names.count, by: Self.migrationsPerStateRead).map {
            Array(names[$0..<min($0 + Self.migrationsPerStateRead, names.count)])
        }
        let replies = try Self.failingOnServerState(
            try await connection.pipeline(
                batches.flatMap { batch in
                    let keys = batch.flatMap(stringKeys)
                    return [["MULTI"], ["MGET"] + keys, ["EXISTS"] + keys, ["EXEC"]]
                }))
        // Per name: its nine values, or nil where its batch holds a key of another type.
        var values: [ArraySlice<RedisReply>?] = []
        values.reserveCapacity(names.count)
        for (index, batch) in batches.enumerated() {
            let exec = replies[4 * index + 3]
            guard let both = exec.array, both.count == 2 else {
                throw RedisError.unexpectedReply(exec, expected: "the replies of MGET and EXISTS", command: "EXEC")
            }
            let read = try batchValues(batch, mget: both[0], exists: both[1])
            values +=
                read.map { batchValues in
                    (0..<batch.count).map { batchValues[($0 * Self.stringKeyCount)..<(($0 + 1) * Self.stringKeyCount)] }
                } ?? Array(repeating: nil, count: batch.count)
        }
        let leased = names.indices.filter { values[$0].map { !$0[$0.startIndex + Self.leaseIndex].isNull } ?? false }
        let foreign = names.indices.filter { values[$0] == nil }
        var ttls: [Int: RedisReply] = [:]
        var keyByKey: [Int: [RedisReply]] = [:]
        if !leased.isEmpty || !foreign.isEmpty {
            let second = try Self.failingOnServerState(
                try await connection.pipeline(
                    leased.map { ["PTTL", keys.lease(names[$0])] }
                        + foreign.flatMap { keyByKeyStateCommands(names[$0]) }))
            for (position, index) in leased.enumerated() { ttls[index] = second[position] }
            let width = Self.stringKeyCount + 1
            for (position, index) in foreign.enumerated() {
                let start = leased.count + position * width
                keyByKey[index] = Array(second[start..<(start + width)])
            }
        }
        return names.indices.map { index in
            if let rows = keyByKey[index] { return decodeState(names[index], rows) }
            let own = values[index] ?? []
            let lease = own.startIndex + Self.leaseIndex
            // The order of ``keyByKeyStateCommands(_:)``: the lease's TTL right after the lease.
            let rows = Array(own[...lease]) + [ttls[index] ?? .integer(-2)] + Array(own[(lease + 1)...])
            return decodeState(names[index], rows)
        }
    }

    /// The string keys a state read covers, in the order ``decodeState(_:_:)`` takes their values.
    private static let stateKeys: [@Sendable (RedisMigrationKeys, String) -> String] = [
        { $0.completed($1) }, { $0.result($1) }, { $0.error($1) }, { $0.lease($1) }, { $0.progress($1) },
        { $0.failure($1) }, { $0.checkpoint($1) }, { $0.fence($1) }, { $0.control($1) },
    ]

    /// How many string keys a migration has in a state read.
    private static var stringKeyCount: Int { stateKeys.count }

    /// Where the lease is among ``stateKeys``: its `PTTL` goes right after it.
    private static let leaseIndex = 3

    /// The string keys of one migration, in ``stateKeys`` order.
    private func stringKeys(_ name: String) -> [String] {
        Self.stateKeys.map { $0(keys, name) }
    }

    /// The batch's values from its `MGET`, in ``stringKeys(_:)`` order; `nil` when `EXISTS` counted a key
    /// `MGET` could not read: the batch is then read again key by key.
    private func batchValues(_ batch: [String], mget: RedisReply, exists: RedisReply) throws(RedisError)
        -> [RedisReply]?
    {
        guard let values = mget.array, values.count == batch.count * Self.stringKeyCount else {
            throw RedisError.unexpectedReply(
                mget, expected: "\(batch.count * Self.stringKeyCount) values", command: "MGET")
        }
        guard let present = exists.int else {
            throw RedisError.unexpectedReply(exists, expected: "an integer", command: "EXISTS")
        }
        return present == values.count(where: { !$0.isNull }) ? values : nil
    }

    /// The reads ``decodeState(_:_:)`` expects for one migration, in its order, one command each: a `GET`
    /// of each of ``stateKeys`` and the lease's `PTTL` after it. What a batch holding a key of another type
    /// is read with.
    private func keyByKeyStateCommands(_ name: String) -> [[String]] {
        var commands = stringKeys(name).map { ["GET", $0] }
        commands.insert(["PTTL", keys.lease(name)], at: Self.leaseIndex + 1)
        return commands
    }
}
