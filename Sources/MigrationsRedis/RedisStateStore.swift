import Foundation
public import Migrations
public import RedisClient

/// Completion state in Redis under the seed's well-known keys (see ``RedisMigrationKeys``).
///
/// Reading the state of many migrations costs one pipelined round trip, and a second when a lease is held
/// (for its time to live) or a key holds another type (see ``states(for:)``). Writes made while holding a
/// ``RedisLeaseProvider`` lease are fenced: one Lua script checks that the lease still holds the
/// owner's token, records the outcome and releases the lease, so a holder that lost its lease can never
/// mark a migration done or overwrite a newer result.
///
/// Usually created by ``RedisMigrationBackend/connect(configuration:keys:leaseTimeToLive:)``.
public final class RedisStateStore: MigrationStateStore {
    /// The key layout.
    public let keys: RedisMigrationKeys
    /// How long a fenced write (completion, failure, rollback) keeps retrying through a transport error,
    /// and a read through a restarting server (`LOADING`, refused connections), before it gives up;
    /// 10 seconds by default.
    public let recordRetryWindow: Duration
    /// How many results `:history` keeps per migration; 50 by default.
    public let historyLimit: Int
    let connection: RedisConnection

    /// Creates a store on an open connection.
    ///
    /// - Parameters:
    ///   - connection: The connection for reads and writes; it may be shared with the lease provider.
    ///   - keys: The key layout; prefix `migration` by default.
    ///   - recordRetryWindow: How long fenced writes retry through a transport error; 10 seconds by default.
    ///   - historyLimit: How many results `:history` keeps per migration; 50 by default.
    public init(
        connection: RedisConnection,
        keys: RedisMigrationKeys = RedisMigrationKeys(),
        recordRetryWindow: Duration = .seconds(10),
        historyLimit: Int = 50
    ) {
        self.connection = connection
        self.keys = keys
        self.recordRetryWindow = recordRetryWindow
        self.historyLimit = max(1, historyLimit)
    }

    /// The commands that push `json` to a migration's capped history.
    private func remembering(_ name: String, _ json: String) -> [[String]] {
        [["LPUSH", keys.history(name), json], ["LTRIM", keys.history(name), "0", String(historyLimit - 1)]]
    }

    /// Pushes the paused result to `:history` and releases the lease: one script, fenced.
    public func markPaused(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let name = result.name
        let json = String(decoding: try result.jsonData(), as: UTF8.self)
        guard let fence else {
            return try await unfencedWrite("record the pause of '\(name)'", remembering(name, json))
        }
        return try await fencedWrite(
            RedisMigrationScripts.pause, name: name, fence: fence, what: "record the pause",
            keys: [keys.lease(name), keys.progress(name), keys.waiters(name), keys.history(name)],
            arguments: [fence.token, keys.waiterListPrefix(name), json, String(historyLimit)],
            confirm: nil)
    }

    /// The last results from `:history`, newest first; entries that are not results are skipped.
    public func history(of name: String, limit: Int) async throws -> [MigrationResult] {
        guard limit > 0 else { return [] }
        let key = keys.history(name)
        let reply = try await read("read \(key)") {
            try Self.failingOnServerState([try await connection.send(["LRANGE", key, "0", String(limit - 1)])])[0]
        }
        if let message = reply.errorMessage {
            throw MigrationError(
                .stateStore, "\(key) is not a list (foreign data under our keys): \(message)", migration: name)
        }
        return (reply.array ?? []).compactMap { $0.bytes.flatMap { try? MigrationResult.decode(from: Data($0)) } }
    }

    // MARK: - Reading

    /// Reads completion, result, error, lease (with its TTL), progress, failure, checkpoint, fence and
    /// control request of every name.
    ///
    /// The first round trip reads every value with one `MGET` per 100 migrations. A second one follows only
    /// when one of them holds a lease (it asks the lease's `PTTL`), or a key holds another type: that
    /// batch is read key by key, so the `WRONGTYPE` names the key.
    ///
    /// A key holding foreign data (another type, JSON that is not ours) does not fail the whole read: that
    /// migration's state carries a ``StoredMigrationState/problem`` naming the key.
    public func states(for names: [String]) async throws -> [String: StoredMigrationState] {
        guard !names.isEmpty else { return [:] }
        let read = try await read("read the state of \(names.count) migrations") { try await fetchStates(names) }
        return Dictionary(zip(names, read)) { _, last in last }
    }

    /// The names whose `<prefix>:<name>:completed` is `true`: `MGET`s of the markers, at most 1,000 keys
    /// each, in one pipelined round trip, and nothing decoded but the markers. A key holding something
    /// else (or another type) is not completed here; ``states(for:)`` then reports it.
    public func completedNames(among names: [String]) async throws -> Set<String> {
        guard !names.isEmpty else { return [] }
        let chunks = stride(from: 0, to: names.count, by: 1000).map {
            Array(names[$0..<min($0 + 1000, names.count)])
        }
        let replies = try await read("read the completion markers of \(names.count) migrations") {
            try Self.failingOnServerState(
                try await connection.pipeline(chunks.map { ["MGET"] + $0.map(keys.completed) }))
        }
        let marker = Array("true".utf8)
        var completed = Set<String>()
        for (chunk, reply) in zip(chunks, replies) {
            for (name, value) in zip(chunk, reply.array ?? []) where value.bytes == marker {
                completed.insert(name)
            }
        }
        return completed
    }

    /// Answers whether `<prefix>:<name>:completed` is `true`.
    public func isCompleted(_ name: String) async throws -> Bool {
        let key = keys.completed(name)
        let reply = try await read("read \(key)") { try await connection.send(["GET", key]) }
        return reply.string == "true"
    }

    // MARK: - Writing

    /// Sets `:completed` and `:result`, deletes `:error`, and releases the lease: one script, fenced.
    public func markCompleted(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let name = result.name
        let json = String(decoding: try result.jsonData(), as: UTF8.self)
        guard let fence else {
            return try await unfencedWrite(
                "record the completion of '\(name)'",
                [
                    ["SET", keys.completed(name), "true"], ["SET", keys.result(name), json],
                    ["DEL", keys.error(name), keys.failure(name), keys.checkpoint(name)],
                ] + remembering(name, json))
        }
        let call = completionCall(result, json: json, fence: fence)
        return try await fencedWrite(
            RedisMigrationScripts.complete, name: name, fence: fence, what: "record the completion",
            keys: call.keys, arguments: call.arguments, confirm: completionConfirmation(result, fence: fence))
    }

    /// Records a completion as ``markCompleted(_:fence:)`` does and, in the same script, runs the acquire
    /// script for the next migration (`next`, from ``RedisLeaseProvider``): one round trip between two
    /// migrations of a run.
    ///
    /// - Returns: The disposition, and the acquire script's reply: empty when the next migration's keys
    ///   hold foreign data (nothing was taken), or the transport error that lost it, after the completion
    ///   was confirmed or recorded again the way a lost reply to ``markCompleted(_:fence:)`` is.
    func markCompleted(
        _ result: MigrationResult, fence: LeaseFence, thenAcquiring next: (keys: [String], arguments: [String])
    ) async throws -> (disposition: LeaseDisposition, next: Result<[RedisReply], RedisError>) {
        let name = result.name
        let json = String(decoding: try result.jsonData(), as: UTF8.self)
        let call = completionCall(result, json: json, fence: fence)
        let reply: RedisReply
        do {
            reply = try await connection.evaluate(
                RedisMigrationScripts.completeAndAcquire, keys: call.keys + next.keys,
                arguments: call.arguments + next.arguments)
        } catch  where error.isTransport {
            // The script may have run: finish as after any lost reply to a completion, confirming first.
            let disposition = try await fencedWrite(
                RedisMigrationScripts.complete, name: name, fence: fence, what: "record the completion",
                keys: call.keys, arguments: call.arguments, confirm: completionConfirmation(result, fence: fence),
                afterLostReply: true)
            return (disposition, .failure(error))
        } catch {
            throw RedisStateStore.storeError(
                "could not record the completion of migration '\(name)'", name: name, error)
        }
        guard let parts = reply.array, parts.first?.int == 1 else {
            throw leaseLost("record the completion", name: name, fence: fence)
        }
        return (.released, .success(Array(parts.dropFirst())))
    }

    /// The keys and arguments of the completion script.
    private func completionCall(_ result: MigrationResult, json: String, fence: LeaseFence)
        -> (keys: [String], arguments: [String])
    {
        let name = result.name
        return (
            [
                keys.completed(name), keys.result(name), keys.error(name), keys.lease(name), keys.progress(name),
                keys.waiters(name), keys.failure(name), keys.checkpoint(name), keys.history(name),
            ],
            [fence.token, json, keys.waiterListPrefix(name), String(historyLimit)]
        )
    }

    /// Whether a completion whose reply was lost took effect: the marker is set and the stored result is
    /// this attempt's.
    private func completionConfirmation(_ result: MigrationResult, fence: LeaseFence)
        -> @Sendable () async throws
        -> Bool
    {
        let name = result.name
        return { [self] in
            let stored = try await connection.pipeline([
                ["GET", keys.completed(name)], ["GET", keys.result(name)],
            ])
            let storedResult = stored[1].bytes.flatMap { try? MigrationResult.decode(from: Data($0)) }
            // The fencing token names this acquisition; dates are stored to the second, so they cannot.
            return stored[0].string == "true" && storedResult?.fencingToken == fence.fencingToken
                && storedResult?.pid == result.pid && storedResult?.host == result.host
        }
    }

    /// Sets `:error` to the message and `:failure` to the failed result, and releases the lease: one
    /// script, fenced.
    public func markFailed(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let name = result.name
        let message = result.error ?? "failed"
        let json = String(decoding: try result.jsonData(), as: UTF8.self)
        guard let fence else {
            return try await unfencedWrite(
                "record the failure of '\(name)'",
                [["SET", keys.error(name), message], ["SET", keys.failure(name), json]] + remembering(name, json))
        }
        return try await fencedWrite(
            RedisMigrationScripts.fail, name: name, fence: fence, what: "record the failure",
            keys: [
                keys.error(name), keys.lease(name), keys.progress(name), keys.waiters(name), keys.failure(name),
                keys.history(name),
            ],
            arguments: [fence.token, message, keys.waiterListPrefix(name), json, String(historyLimit)],
            confirm: nil
        )
    }

    /// Deletes `:completed` and `:error`, stores the rolled-back result, and releases the lease: fenced.
    public func markRolledBack(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        let name = result.name
        let json = String(decoding: try result.jsonData(), as: UTF8.self)
        guard let fence else {
            return try await unfencedWrite(
                "record the rollback of '\(name)'",
                [
                    ["DEL", keys.completed(name), keys.error(name), keys.failure(name), keys.checkpoint(name)],
                    ["SET", keys.result(name), json],
                ] + remembering(name, json))
        }
        return try await fencedWrite(
            RedisMigrationScripts.rollBack, name: name, fence: fence, what: "record the rollback",
            keys: [
                keys.completed(name), keys.result(name), keys.error(name), keys.lease(name), keys.progress(name),
                keys.waiters(name), keys.failure(name), keys.checkpoint(name), keys.history(name),
            ],
            arguments: [fence.token, json, keys.waiterListPrefix(name), String(historyLimit)],
            confirm: nil
        )
    }

    /// Saves the checkpoint at `:checkpoint` with one script: the lease must still hold the fence's
    /// token, and neither `:fence` nor the stored checkpoint may carry a higher fencing token.
    ///
    /// A save whose reply is lost is sent again while the server restarts (it is idempotent: the same
    /// value under the same fence); other transport errors fail it, and the runner tries again at the
    /// next interval.
    public func saveCheckpoint(_ checkpoint: MigrationCheckpoint, of name: String, fence: LeaseFence) async throws {
        let json = String(decoding: try checkpoint.jsonData(), as: UTF8.self)
        let ours = fence.fencingToken ?? 0
        let reply = try await perform("save the checkpoint of '\(name)'") {
            try await RedisRestartRetry(window: recordRetryWindow).run(.notRun) {
                try await connection.evaluate(
                    RedisMigrationScripts.saveCheckpoint,
                    keys: [keys.lease(name), keys.checkpoint(name), keys.fence(name)],
                    arguments: [fence.token, String(ours), json])
            }
        }
        switch reply.array?.first?.int {
        case .some(1):
            return
        case .some(-1):
            let newer = reply.array.flatMap { $0.count > 1 ? $0[1].int : nil }.map { UInt64(max(0, $0)) } ?? ours + 1
            throw MigrationError.checkpointRefused(name, ours: ours, newer: newer)
        default:
            throw MigrationError(
                .leaseLost,
                "lease lost: the checkpoint save of migration '\(name)' was refused, because its lease at "
                    + "\(keys.lease(name)) no longer holds this run's token (fencing token \(ours))",
                migration: name)
        }
    }

    /// Sets `:control` to the request.
    public func requestControl(_ control: MigrationControl, of name: String) async throws {
        let json = String(decoding: try control.jsonData(), as: UTF8.self)
        _ = try await perform("ask to \(control.action.rawValue) '\(name)'") {
            try Self.failingOnServerState([try await connection.send(["SET", keys.control(name), json])])
        }
    }

    /// Deletes `:control` if it still holds the expected request (compared after decoding, then deleted
    /// only if its bytes did not change meanwhile).
    @discardableResult
    public func clearControl(of name: String, expecting expected: MigrationControl?) async throws
        -> MigrationControl?
    {
        let key = keys.control(name)
        return try await perform("clear the request under \(key)") {
            guard let raw = try await connection.send(["GET", key]).bytes else { return nil }
            let current = try? MigrationControl.decode(from: Data(raw))
            if let expected, current != expected { return nil }
            let reply = try await connection.evaluate(
                RedisMigrationScripts.clearControlIfUnchanged, keys: [key],
                arguments: [String(decoding: raw, as: UTF8.self)])
            return reply.int == 1 ? current : nil
        }
    }

    /// Reads `:control`.
    public func control(of name: String) async throws -> MigrationControl? {
        let key = keys.control(name)
        let reply = try await read("read \(key)") { try await connection.send(["GET", key]) }
        return reply.bytes.flatMap { try? MigrationControl.decode(from: Data($0)) }
    }

    /// Deletes `:completed`, `:error` and `:failure` (and `:checkpoint` unless kept), so the migration
    /// runs again; `:result` stays as history. For a sharded migration with an unfinished run
    /// (`:shards` set), not keeping the checkpoint also deletes `:shards` and every shard's `:completed`,
    /// `:checkpoint`, `:error` and `:failure`, so the next run starts every shard over.
    public func reset(_ name: String, keepingCheckpoint: Bool) async throws {
        var doomed = [keys.completed(name), keys.error(name), keys.failure(name)]
        if !keepingCheckpoint { doomed.append(keys.checkpoint(name)) }
        // A sharded migration's unfinished run: without the checkpoint its shards start over too.
        let shardCount = try await read("read \(keys.shards(name))") {
            try await connection.send(["GET", keys.shards(name)]).string.flatMap(Int.init)
        }
        if let shardCount, !keepingCheckpoint, shardCount > 0, shardCount <= MigrationSharding.maximumCount {
            doomed.append(keys.shards(name))
            for shard in MigrationSharding.count(shardCount).shards {
                let own = shard.storageName(of: name)
                doomed += [keys.completed(own), keys.checkpoint(own), keys.error(own), keys.failure(own)]
            }
        }
        _ = try await perform("reset '\(name)'") {
            try Self.failingOnServerState([try await connection.send(["DEL"] + doomed)])
        }
    }

    // MARK: - Helpers

    /// Runs a fenced script, riding out a brief outage (a restart, a failover, a dropped connection).
    ///
    /// After a transport error the outcome is unknown: the script may or may not have run. The write is
    /// sent again, with a growing pause, until ``recordRetryWindow`` has passed — safe, because a fenced
    /// script changes nothing unless the lease still holds our token — and `confirm`, when given, reads the
    /// keys back between attempts (and after a "not ours" answer to a retry) to find out whether an
    /// earlier attempt took effect. Work that finished is therefore recorded once Redis is back, instead
    /// of being run again.
    private func fencedWrite(
        _ script: RedisScript,
        name: String,
        fence: LeaseFence,
        what: String,
        keys scriptKeys: [String],
        arguments: [String],
        confirm: (@Sendable () async throws -> Bool)?,
        afterLostReply: Bool = false
    ) async throws -> LeaseDisposition {
        let deadline = ContinuousClock.now + recordRetryWindow
        var pause = Duration.milliseconds(50)
        var retried = afterLostReply
        if afterLostReply, let confirm, (try? await confirm()) == true { return .released }
        while true {
            do {
                let reply = try await connection.evaluate(script, keys: scriptKeys, arguments: arguments)
                if reply.int == 1 { return .released }
                if retried, let confirm, (try? await confirm()) == true { return .released }
                throw leaseLost(what, name: name, fence: fence)
            } catch let error as RedisError where error.isTransport && ContinuousClock.now < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(1))
                retried = true
                if let confirm, (try? await confirm()) == true { return .released }
            } catch let error as RedisError {
                throw RedisStateStore.storeError("could not \(what) of migration '\(name)'", name: name, error)
            }
        }
    }

    /// The refusal of a fenced write whose lease no longer holds the caller's token.
    private func leaseLost(_ what: String, name: String, fence: LeaseFence) -> MigrationError {
        MigrationError(
            .leaseLost,
            "refused to \(what) of migration '\(name)': its lease at \(keys.lease(name)) no longer holds "
                + "this run's token (fencing token \(fence.fencingToken.map(String.init) ?? "none")); "
                + "another holder took over or an operator cleared it",
            migration: name
        )
    }

    /// Throws the first error reply that is about the server, not the data: inside a pipeline, `LOADING`,
    /// `NOAUTH`, `MASTERDOWN` and the like come back as replies, and must fail the read (and be retried
    /// where that helps) rather than be reported as foreign data under a key. Only `WRONGTYPE` is about a key.
    static func failingOnServerState(_ replies: [RedisReply]) throws(RedisError) -> [RedisReply] {
        for reply in replies where reply.errorMessage != nil {
            let error = RedisError.serverReply(reply, command: "reading migration state")
            if error.code != .wrongType { throw error }
        }
        return replies
    }

    /// A write made without a fence (the caller holds no lease): one pipeline, whose error replies fail
    /// it rather than pass for success.
    private func unfencedWrite(_ what: String, _ commands: [[String]]) async throws -> LeaseDisposition {
        _ = try await perform(what) {
            try Self.failingOnServerState(try await connection.pipeline(commands))
        }
        return .stillHeld
    }

    /// Runs a read, riding out a restart (see ``RedisRestartRetry``).
    func read<Value>(_ what: String, _ body: () async throws -> Value) async throws -> Value {
        try await perform(what) {
            try await RedisRestartRetry(window: recordRetryWindow).run(.read, body)
        }
    }

    func perform<Value>(_ what: String, _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as RedisError {
            throw Self.storeError("could not \(what)", name: nil, error)
        }
    }

    static func storeError(_ what: String, name: String?, _ error: RedisError) -> MigrationError {
        MigrationError(.stateStore, "\(what): \(error.message)", migration: name, cause: error)
    }
}
