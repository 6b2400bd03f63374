import RedisClient

/// Clearing a migration's lease whoever holds it: the one step behind `RedisLeaseProvider.forceUnlock`
/// and `RedisMigrationInspector.forceUnlock`.
enum RedisForceUnlock {
    /// Deletes the lease and its progress, bumps the fence so the old holder can no longer record
    /// anything, and wakes the replicas waiting for the lease or for its holder's whole run.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - keys: The key layout.
    ///   - connection: Where to run it.
    /// - Returns: The value that was cleared, when it was a lease value.
    static func run(_ name: String, keys: RedisMigrationKeys, on connection: RedisConnection) async throws(RedisError)
        -> RedisLeaseValue?
    {
        let reply = try await connection.evaluate(
            RedisMigrationScripts.forceUnlock,
            keys: [keys.lease(name), keys.fence(name), keys.progress(name), keys.waiters(name)],
            arguments: [keys.waiterListPrefix(name)])
        let cleared = reply.bytes.flatMap(RedisLeaseValue.decode)
        await RedisRunWaiters.wakeAfterClearing(cleared, keys: keys, on: connection)
        return cleared
    }
}
