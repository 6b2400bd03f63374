import Foundation
import Migrations
import RedisClient

/// A held Redis lease on one migration.
struct RedisLease: MigrationLease {
    let name: String
    let fence: LeaseFence
    let provider: RedisLeaseProvider

    var timeToLive: Duration? { provider.timeToLive }

    /// Compare-and-`PEXPIRE` on the provider's renewal connection.
    func renew() async throws -> Bool {
        let keys = provider.keys
        do {
            let reply = try await provider.renewals.evaluate(
                RedisMigrationScripts.renew, keys: [keys.lease(name)],
                arguments: [fence.token, String(provider.timeToLiveMilliseconds)])
            return reply.int == 1
        } catch {
            throw provider.leaseError("could not renew the lease \(keys.lease(name))", name: name, error)
        }
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

    /// Stores the snapshot at `<prefix>:<name>:progress`, expiring after two TTLs.
    func publish(progress: ProgressSnapshot) async {
        guard let json = try? MigrationJSON.encode(progress) else { return }
        _ = try? await provider.renewals.send(
            [
                "SET", provider.keys.progress(name), String(decoding: json, as: UTF8.self), "PX",
                String(provider.timeToLiveMilliseconds * 2),
            ])
    }
}
