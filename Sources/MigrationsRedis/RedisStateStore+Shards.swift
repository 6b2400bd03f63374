import Foundation
public import Migrations
import RedisClient

extension RedisStateStore {
    /// Completes a shard, and the migration if it was the last, in one script fenced by the shard's lease.
    ///
    /// The shard's `:completed`, `:result` and `:history` are written and its `:lease`, `:checkpoint`,
    /// `:progress`, `:error` and `:failure` removed. When every shard's `:completed` is `true` and the migration's is not, the same
    /// script writes the migration's seed keys as an unsharded completion does (`:completed` `true`,
    /// `:result` with the records of all shards summed, `:error` removed, one `:history` entry) and removes
    /// every shard's `:completed` and `:checkpoint`, and the migration's `:shards`; the shards' `:result`
    /// and `:fence` stay.
    ///
    /// - Parameters:
    ///   - result: The shard's result, named by its storage name.
    ///   - shard: The shard.
    ///   - name: The migration's name.
    ///   - fence: The shard's lease.
    ///   - completion: The migration's result to write if this was the last shard.
    /// - Returns: What the script found.
    /// - Throws: ``MigrationError`` with code ``MigrationError/Code-swift.struct/leaseLost`` when the shard's
    ///   lease is no longer this owner's.
    public func markShardCompleted(
        _ result: MigrationResult, shard: MigrationShard, of name: String, fence: LeaseFence,
        completion: MigrationResult
    ) async throws -> ShardCompletion {
        let own = shard.storageName(of: name)
        let all = MigrationSharding.count(shard.count).shards.map { $0.storageName(of: name) }
        var final = completion
        final.recordsProcessed = 0
        final.resumedFrom = nil
        let scriptKeys =
            [
                keys.lease(own), keys.completed(own), keys.result(own), keys.checkpoint(own), keys.progress(own),
                keys.waiters(own), keys.history(own), keys.completed(name), keys.result(name), keys.error(name),
                keys.failure(name), keys.checkpoint(name), keys.history(name), keys.control(name), keys.error(own),
                keys.failure(own), keys.shards(name),
            ] + all.map(keys.completed) + all.map(keys.result) + all.map(keys.checkpoint)
        let arguments = [
            fence.token, String(decoding: try result.jsonData(), as: UTF8.self),
            String(decoding: try final.jsonData(), as: UTF8.self), keys.waiterListPrefix(own), String(historyLimit),
            String(shard.count),
        ]
        let reply = try await perform("record the completion of \(shard) of '\(name)'") {
            try await RedisRestartRetry(window: recordRetryWindow).run(.notRun) {
                try await connection.evaluate(RedisShardScripts.complete, keys: scriptKeys, arguments: arguments)
            }
        }
        let parts = reply.array ?? []
        guard parts.first?.int == 1, parts.count == 5 else {
            throw MigrationError(
                .leaseLost,
                "refused to record the completion of \(shard) of migration '\(name)': its lease at "
                    + "\(keys.lease(own)) no longer holds this run's token (fencing token "
                    + "\(fence.fencingToken.map(String.init) ?? "none")); another holder took over or an operator "
                    + "cleared it",
                migration: name)
        }
        let error = parts[3].string.flatMap { $0.isEmpty ? nil : $0 }
        let control = parts[4].bytes.flatMap { $0.isEmpty ? nil : try? MigrationControl.decode(from: Data($0)) }
        return ShardCompletion(
            completedMigration: parts[1].int == 1, completedShards: Int(parts[2].int ?? 0), migrationError: error,
            control: control, disposition: .released)
    }
}
