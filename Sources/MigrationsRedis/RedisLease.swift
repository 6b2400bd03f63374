import Foundation
import Migrations
import RedisClient

/// A held Redis lease on one migration.
struct RedisLease: MigrationLease {
    let name: String
    let fence: LeaseFence
    let provider: RedisLeaseProvider
    /// The migration whose control request the renewal reads: `name`, or for a shard its migration's.
    let controlName: String

    var timeToLive: Duration? { provider.timeToLive }

    /// Compare-and-`PEXPIRE` on the provider's renewal connection.
    func renew() async throws -> Bool {
        try await renewReadingControl().held
    }

    /// The renewal script also returns `:control`.
    var deliversControl: Bool { true }

    /// Compare-and-`PEXPIRE`, reading an operator's pending request in the same script.
    func renewReadingControl() async throws -> (held: Bool, control: MigrationControl?) {
        let keys = provider.keys
        let reply: RedisReply
        do {
            reply = try await provider.renewals.evaluate(
                RedisMigrationScripts.renew, keys: [keys.lease(name), keys.control(controlName)],
                arguments: [fence.token, String(provider.timeToLiveMilliseconds)])
        } catch {
            throw provider.leaseError("could not renew the lease \(keys.lease(name))", name: name, error)
        }
        let parts = reply.array ?? []
        guard parts.first?.int == 1 else { return (false, nil) }
        let control = parts.count > 1 ? parts[1].bytes.flatMap { try? MigrationControl.decode(from: Data($0)) } : nil
        return (true, control)
    }

    /// Compare-and-delete; wakes the replicas waiting for it.
    func release() async throws {
        let keys = provider.keys
        do {
            _ = try await provider.commands.evaluate(
                RedisMigrationScripts.release,
                keys: [keys.lease(name), keys.progress(name), keys.waiters(name)],
                arguments: [fence.token, keys.waiterListPrefix(name)])
        } catch {
            throw provider.leaseError("could not release the lease \(keys.lease(name))", name: name, error)
        }
    }

    /// Stores the snapshot at `<prefix>:<name>:progress`, expiring after two TTLs, while the lease is ours
    /// (one script, so it can never land after the completion deleted the key).
    func publish(progress: ProgressSnapshot) async {
        guard let json = try? MigrationJSON.encode(progress) else { return }
        let keys = provider.keys
        _ = try? await provider.renewals.evaluate(
            RedisMigrationScripts.publishProgress, keys: [keys.lease(name), keys.progress(name)],
            arguments: [
                fence.token, String(decoding: json, as: UTF8.self), String(provider.timeToLiveMilliseconds * 2),
            ])
    }
}
