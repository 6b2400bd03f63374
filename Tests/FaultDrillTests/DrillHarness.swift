import Foundation
import Logging
import Migrations
import MigrationsRedis
import RedisClient
import RedisTestSupport

/// The application context of in-process drills: counts each migration's executions in Redis.
struct DrillContext: Sendable {
    let redis: RedisConnection
    let prefix: String

    /// `INCR <prefix>-count:<name>`.
    func recordExecution(of name: String) async throws {
        _ = try await redis.send(["INCR", "\(prefix)-count:\(name)"])
    }

    /// How many times `name` ran.
    func executions(of name: String) async throws -> Int {
        Int(try await redis.send(["GET", "\(prefix)-count:\(name)"]).string ?? "0") ?? 0
    }
}

/// A migration that counts its executions and then sleeps `step`.
func countingMigration(_ name: String, step: Duration = .zero) -> ClosureMigration<DrillContext> {
    ClosureMigration<DrillContext>(name: name) { context in
        try await context.app.recordExecution(of: context.migrationName)
        if step > .zero { try await Task.sleep(for: step) }
    }
}

/// A runner over a Redis backend in this process, with a context that counts executions.
///
/// It holds on to its server, so the server lives (and is not killed by its `deinit`) as long as the harness.
struct DrillHarness {
    let server: RedisServer
    let backend: RedisMigrationBackend
    let context: DrillContext
    let runner: MigrationRunner<DrillContext>

    /// Connects to `server` (with `configuration`, or the server's own) and builds a runner for `migrations`.
    static func start(
        _ migrations: [any Migration<DrillContext>],
        on server: RedisServer,
        configuration: RedisConfiguration? = nil,
        prefix: String,
        leaseTimeToLive: Duration = .seconds(5),
        logger: Logger? = nil
    ) async throws -> DrillHarness {
        let configuration = configuration ?? server.configuration()
        let backend = try await RedisMigrationBackend.connect(
            configuration: configuration, keys: RedisMigrationKeys(prefix: prefix), leaseTimeToLive: leaseTimeToLive)
        var quiet = Logger(label: "fault-drills")
        quiet.logLevel = .critical
        let runner = MigrationRunner(
            registry: try MigrationRegistry(migrations), backend: backend, logger: logger ?? quiet,
            configuration: .init(triggeredBy: "fault-drills"))
        var counting = configuration
        counting.commandTimeout = .seconds(5)
        let context = DrillContext(redis: try await RedisConnection(configuration: counting), prefix: prefix)
        return DrillHarness(server: server, backend: backend, context: context, runner: runner)
    }
}
