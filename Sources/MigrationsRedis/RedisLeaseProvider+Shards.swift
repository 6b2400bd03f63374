import Foundation
public import Migrations
import RedisClient

extension RedisLeaseProvider {
    /// Takes the first free shard in one script, one round trip however many shards are held: it skips
    /// completed and leased shards, takes the first other one with `SET … PX` and a new fencing token, and
    /// answers ``ShardAcquisition/noneLeft`` once the migration is completed.
    ///
    /// A shard's lease is `<prefix>:<name>:shard:<k>:lease`, its fencing counter `…:shard:<k>:fence`;
    /// renewing it also reads the migration's `<prefix>:<name>:control`.
    ///
    /// - Parameter request: The migration, its shard count, the holder and where to start looking.
    /// - Returns: The shard taken, the holders of the others, or ``ShardAcquisition/noneLeft``.
    public func claimShard(_ request: ShardLeaseRequest) async throws -> ShardAcquisition {
        let name = request.name
        let order = request.searchOrder
        guard !order.isEmpty else { return .noneLeft }
        let value = leaseValue(for: request.holder)
        let json = String(decoding: try MigrationJSON.encode(value), as: UTF8.self)
        let storage = order.map { MigrationShard(index: $0, count: request.count).storageName(of: name) }
        let scriptKeys =
            [keys.completed(name), keys.shards(name)]
            + storage.flatMap {
                [keys.completed($0), keys.lease($0), keys.fence($0), keys.checkpoint($0), keys.failure($0)]
            }
        let reply: RedisReply
        do {
            reply = try await RedisRestartRetry(window: restartRetryWindow).run(.notRun) {
                try await commands.evaluate(
                    RedisShardScripts.claim, keys: scriptKeys,
                    arguments: [json, String(timeToLiveMilliseconds), String(request.count)] + order.map(String.init))
            }
        } catch let error as RedisError {
            throw leaseError(
                "could not take a shard of migration '\(name)' (a shard lease the attempt may have taken "
                    + "expires within \(timeToLive))", name: name, error)
        }
        let parts = reply.array ?? []
        switch parts.first?.string {
        case "completed", "done":
            return .noneLeft
        case "count":
            let started = parts.count > 1 ? parts[1].string ?? "?" : "?"
            throw MigrationError(
                .invalidConfiguration,
                "migration '\(name)' was started with \(started) shards and now declares \(request.count); "
                    + "finish it with the count it started with, or reset it (`migrations reset '\(name)'`) "
                    + "before changing the count",
                migration: name)
        case "acquired":
            guard parts.count == 5, let index = parts[1].string.flatMap(Int.init), let fence = parts[2].int else {
                break
            }
            let shard = MigrationShard(index: index, count: request.count)
            let fencingToken = UInt64(max(1, fence))
            let lease = lease(
                name: shard.storageName(of: name), token: value.token, fencingToken: fencingToken, controlName: name)
            // What the attempt resumes from, read by the same script: no second round trip.
            var state = StoredMigrationState(
                isCompleted: false,
                lastFailure: parts[4].bytes.flatMap { $0.isEmpty ? nil : try? MigrationResult.decode(from: Data($0)) },
                checkpoint: parts[3].bytes.flatMap {
                    $0.isEmpty ? nil : try? MigrationCheckpoint.decode(from: Data($0))
                },
                fencingToken: fencingToken - 1)
            if state.lastFailure != nil { state.lastError = state.lastFailure?.error }
            return .acquired(ClaimedShard(lease: lease, shard: shard, completionChecked: true, state: state))
        case "held":
            var holders: [Int: LeaseHolder?] = [:]
            for offset in stride(from: 1, to: parts.count - 2, by: 3) {
                guard let index = parts[offset].string.flatMap(Int.init) else { continue }
                let holder = parts[offset + 1].bytes.flatMap(RedisLeaseValue.decode)
                holders[index] = holder?.holder(ttlLeftMilliseconds: parts[offset + 2].int)
            }
            if !holders.isEmpty { return .allHeld(holders) }
        default:
            break
        }
        throw MigrationError(.lease, "unexpected reply to the shard claim script: \(reply)", migration: name)
    }
}
