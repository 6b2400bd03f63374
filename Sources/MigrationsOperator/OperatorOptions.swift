import ArgumentParser
import Foundation
import MigrationsCLI
import MigrationsRedis
import RedisClient

/// The options every `migrations` subcommand shares: which Redis, which prefix.
struct OperatorOptions: ParsableArguments {
    @Option(
        name: .customLong("redis-url"),
        help: ArgumentHelp("The Redis to inspect. (default: REDIS_URL, else redis://127.0.0.1:6379)", valueName: "url"))
    var redisURL: String?

    @Option(name: .customLong("prefix"), help: ArgumentHelp("The key prefix of the migrations.", valueName: "prefix"))
    var prefix: String = "migration"

    func validate() throws {
        if prefix.isEmpty { throw ValidationError("--prefix must not be empty") }
    }

    /// Connects, runs `body` with an inspector, and closes the connection; Redis failures become
    /// ``MigrationsCommandError`` (exit code 3 when Redis is unreachable or refuses the credentials).
    func withInspector<Value>(
        _ body: (RedisMigrationInspector, RedisTarget) async throws -> Value
    ) async throws -> Value {
        let environment = ProcessInfo.processInfo.environment
        guard
            let target = try RedisTarget.resolve(
                option: redisURL, environment: environment, defaultURL: "redis://127.0.0.1:6379")
        else {
            throw MigrationsCommandError(.usage, "no Redis URL")
        }
        let connection = try await target.connect()
        defer { connection.close() }
        do {
            return try await body(
                RedisMigrationInspector(connection: connection, keys: RedisMigrationKeys(prefix: prefix)), target)
        } catch {
            throw MigrationsCommandError.classify(error, redisURL: target.description)
        }
    }

    /// `under prefix 'migration' at redis://127.0.0.1:6379`.
    func place(_ target: RedisTarget) -> String {
        "under prefix '\(prefix)' at \(target)"
    }
}
