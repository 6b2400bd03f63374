import Migrations
import RedisClient

extension RedisStateStore {
    /// How many migrations one ``RedisMigrationScripts/readStates`` call covers: 900 keys, well inside
    /// what Lua's `unpack` takes, and a script short enough not to hold up the server.
    static let migrationsPerStateRead = 100

    /// Reads the state of `names` in their order: the one read that both ``states(for:)`` and
    /// ``RedisMigrationInspector`` use. An error reply about the server fails it.
    ///
    /// One pipelined round trip of ``RedisMigrationScripts/readStates``, a script per 100 migrations, so
    /// the server runs one `MGET` and one `EXISTS` for them, not ten commands each. `MGET` cannot tell a
    /// missing key from one of another type, so where the script counts a key it could not read, that batch
    /// is read again key by key in a second round trip, and the `WRONGTYPE` names the key as it always has.
    func fetchStates(_ names: [String]) async throws(RedisError) -> [StoredMigrationState] {
        guard !names.isEmpty else { return [] }
        let batches = stride(from: 0, to: names.count, by: Self.migrationsPerStateRead).map {
            Array(names[$0..<min($0 + Self.migrationsPerStateRead, names.count)])
        }
        let replies = try Self.failingOnServerState(try await connection.pipeline(batches.map(stateReadCommand)))
        var perName: [[RedisReply]?] = []
        perName.reserveCapacity(names.count)
        var foreign: [String] = []
        for (batch, reply) in zip(batches, replies) {
            if let rows = try stateRows(of: batch, from: reply) {
                perName.append(contentsOf: rows.map(Optional.some))
            } else {
                perName.append(contentsOf: repeatElement(nil, count: batch.count))
                foreign += batch
            }
        }
        if !foreign.isEmpty {
            let keyByKey = try Self.failingOnServerState(
                try await connection.pipeline(foreign.flatMap(keyByKeyStateCommands)))
            let width = keyByKeyStateCommands(foreign[0]).count
            var next = 0
            for index in perName.indices where perName[index] == nil {
                perName[index] = Array(keyByKey[(next * width)..<((next + 1) * width)])
                next += 1
            }
        }
        return zip(names, perName).map { name, replies in decodeState(name, replies ?? []) }
    }

    /// The nine string keys of one migration, in the order ``RedisMigrationScripts/readStates`` reads them.
    private func stringKeys(_ name: String) -> [String] {
        [
            keys.completed(name), keys.result(name), keys.error(name), keys.lease(name), keys.progress(name),
            keys.failure(name), keys.checkpoint(name), keys.fence(name), keys.control(name),
        ]
    }

    /// Where the lease is among ``stringKeys(_:)``, counting from 1 as Lua does.
    private static let leasePosition = 4

    /// `EVAL` of ``RedisMigrationScripts/readStates`` over a batch. The source rides along (a few hundred
    /// bytes), so a server that restarted or flushed its scripts needs no second try.
    private func stateReadCommand(_ batch: [String]) -> [String] {
        let keys = batch.flatMap(stringKeys)
        return ["EVAL", RedisMigrationScripts.readStates.source, String(keys.count)] + keys
            + [String(stringKeys(batch[0]).count), String(Self.leasePosition)]
    }

    /// The replies ``decodeState(_:_:)`` expects for each migration of `batch`, from the script's reply;
    /// `nil` when a key of the batch holds another type.
    private func stateRows(of batch: [String], from reply: RedisReply) throws(RedisError) -> [[RedisReply]]? {
        guard let parts = reply.array, let verdict = parts.first?.string else {
            throw RedisError.unexpectedReply(reply, expected: "a state read", command: "EVAL readStates")
        }
        if verdict == "foreign" { return nil }
        let width = stringKeys(batch[0]).count
        guard verdict == "read", parts.count == 3, let values = parts[1].array, let ttls = parts[2].array,
            values.count == batch.count * width, ttls.count == batch.count
        else {
            throw RedisError.unexpectedReply(reply, expected: "a state read", command: "EVAL readStates")
        }
        return batch.indices.map { index in
            let own = values[(index * width)..<((index + 1) * width)]
            let lease = own.startIndex + Self.leasePosition - 1
            // The order of ``keyByKeyStateCommands(_:)``: the lease's TTL right after the lease.
            return Array(own[...lease]) + [ttls[index]] + Array(own[(lease + 1)...])
        }
    }

    /// The reads ``decodeState(_:_:)`` expects for one migration, in its order, one command each: what a
    /// batch holding a key of another type is read with.
    private func keyByKeyStateCommands(_ name: String) -> [[String]] {
        [
            ["GET", keys.completed(name)], ["GET", keys.result(name)], ["GET", keys.error(name)],
            ["GET", keys.lease(name)], ["PTTL", keys.lease(name)], ["GET", keys.progress(name)],
            ["GET", keys.failure(name)], ["GET", keys.checkpoint(name)], ["GET", keys.fence(name)],
            ["GET", keys.control(name)],
        ]
    }
}
