import Foundation
import Logging
import Migrations
import MigrationsRedis
import RedisClient
import RedisTestSupport
import Synchronization

/// The application context of the Redis tests: counts each migration's executions in Redis itself.
struct CountingApp: Sendable {
    let redis: RedisConnection

    func count(_ name: String) async throws -> Int {
        Int(try await redis.send(["GET", "test-count:\(name)"]).string ?? "0") ?? 0
    }
}

func countingMigration(
    _ name: String,
    step: Duration = .zero,
    fail: Bool = false
) -> ClosureMigration<CountingApp> {
    ClosureMigration<CountingApp>(
        name: name,
        up: { context in
            _ = try await context.app.redis.send(["INCR", "test-count:\(context.migrationName)"])
            if step > .zero { try await Task.sleep(for: step) }
            if fail { throw TestFailure(message: "deliberate failure") }
        },
        down: { context in _ = try await context.app.redis.send(["DEL", "test-count:\(context.migrationName)"]) }
    )
}

struct TestFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A Redis server with a backend and a runner over it.
struct RedisHarness {
    let server: RedisServer
    let backend: RedisMigrationBackend
    let app: CountingApp
    let runner: MigrationRunner<CountingApp>

    static func start(
        _ migrations: [any Migration<CountingApp>],
        server existing: RedisServer? = nil,
        prefix: String = "migration",
        leaseTimeToLive: Duration = .seconds(30),
        serverOptions: RedisServer.Options = .init(),
        configuration: MigrationRunner<CountingApp>.Configuration = .init(triggeredBy: "tests")
    ) async throws -> RedisHarness {
        let server: RedisServer
        if let existing {
            server = existing
        } else {
            server = try await RedisServer.start(configuration: serverOptions)
        }
        let backend = try await RedisMigrationBackend.connect(
            configuration: server.configuration(), keys: RedisMigrationKeys(prefix: prefix),
            leaseTimeToLive: leaseTimeToLive)
        var logger = Logger(label: "redis-tests")
        logger.logLevel = .warning
        let runner = MigrationRunner(
            registry: try MigrationRegistry(migrations),
            backend: backend,
            logger: logger,
            configuration: configuration
        )
        return RedisHarness(
            server: server, backend: backend, app: CountingApp(redis: try await server.connect()), runner: runner)
    }

    func get(_ key: String) async throws -> String? {
        try await server.command("GET", key).string
    }
}
