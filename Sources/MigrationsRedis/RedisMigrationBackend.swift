public import Migrations
public import RedisClient

/// A Redis state store and lease provider sharing one server and key layout: what a replica needs.
///
/// ```swift
/// let redis = try await RedisMigrationBackend.connect(configuration: .fromEnvironment())
/// let runner = MigrationRunner(registry: registry, backend: redis, logger: logger)
///
/// try await runner.runPending(context: services)
/// redis.close()
/// ```
///
/// It opens two connections: one for reads, writes, acquire and release, one for lease renewals (so a
/// renewal never queues behind a slow command); waiting for a held lease opens one more on demand.
public final class RedisMigrationBackend: MigrationBackend {
    /// The completion state.
    public let stateStore: RedisStateStore
    /// The leases.
    public let leaseProvider: RedisLeaseProvider

    private init(stateStore: RedisStateStore, leaseProvider: RedisLeaseProvider) {
        self.stateStore = stateStore
        self.leaseProvider = leaseProvider
    }

    /// Connects to Redis.
    ///
    /// - Parameters:
    ///   - configuration: Where Redis is; see `RedisConfiguration(url:)`.
    ///   - keys: The key layout; prefix `migration` by default.
    ///   - leaseTimeToLive: The lease TTL, 30 seconds by default.
    /// - Throws: `RedisError` when Redis cannot be reached or refuses the credentials;
    ///   ``MigrationError`` for an unusable TTL.
    public static func connect(
        configuration: RedisConfiguration,
        keys: RedisMigrationKeys = RedisMigrationKeys(),
        leaseTimeToLive: Duration = .seconds(30)
    ) async throws -> RedisMigrationBackend {
        let commands = try await RedisConnection(configuration: configuration)
        let renewals = try await RedisConnection(configuration: configuration)
        return RedisMigrationBackend(
            stateStore: RedisStateStore(connection: commands, keys: keys),
            leaseProvider: try RedisLeaseProvider(
                commands: commands, renewals: renewals, keys: keys, timeToLive: leaseTimeToLive)
        )
    }

    /// `Redis at <url without password> (prefix <prefix>)`.
    public var description: String {
        "Redis at \(connection.configuration.redactedURL) (prefix \(stateStore.keys.prefix))"
    }

    /// The connection used for reads, writes, acquire and release.
    public var connection: RedisConnection { stateStore.connection }

    /// Closes the connections.
    public func close() {
        stateStore.connection.close()
        leaseProvider.renewals.close()
    }
}
