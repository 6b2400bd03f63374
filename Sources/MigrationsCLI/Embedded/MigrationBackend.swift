import Foundation
import Logging
public import Migrations
import MigrationsRedis

/// The state store and lease provider that ``MigrateStoreOptions`` choose: Redis when `--redis-url` or
/// `REDIS_URL` is set, otherwise files under `--state-dir` (default `.migrations`).
///
/// For an application's own start-up code, so that it uses the same state as its `migrate` command:
///
/// ```swift
/// let backend = try await MigrationBackend.open(storeOptions, logger: logger)
/// defer { backend.close() }
/// let runner = MigrationRunner(registry: registry, stateStore: backend.stateStore,
///                              leaseProvider: backend.leaseProvider, logger: logger)
/// ```
public struct MigrationBackend: Sendable {
    /// Where completion state is kept.
    public let stateStore: any MigrationStateStore
    /// What marks a migration as running.
    public let leaseProvider: any MigrationLeaseProvider
    /// Where state lives, for messages, without any password: `Redis at redis://127.0.0.1:6379 (prefix
    /// migration)`, `files at ./.migrations (no REDIS_URL)` or `files at /srv/state`.
    public let description: String
    /// Whether state lives in files: shared only by processes that see the same directory.
    public let usesFiles: Bool
    private let closeConnections: @Sendable () -> Void

    /// Opens the store and lease the options choose.
    ///
    /// - Throws: ``MigrationsCommandError``: a usage error for a malformed URL, an unreachable error
    ///   (exit code 3) when Redis cannot be reached or refuses the credentials, a failure when the state
    ///   directory cannot be used.
    public static func open(_ options: MigrateStoreOptions, logger: Logger) async throws -> MigrationBackend {
        let environment = ProcessInfo.processInfo.environment
        if let target = try RedisTarget.resolve(option: options.redisURL, environment: environment) {
            let backend: RedisMigrationBackend
            do {
                backend = try await RedisMigrationBackend.connect(
                    configuration: target.configuration, keys: RedisMigrationKeys(prefix: options.prefix),
                    leaseTimeToLive: options.leaseDuration)
            } catch {
                throw MigrationsCommandError.classify(error, redisURL: target.description)
            }
            return MigrationBackend(
                stateStore: backend.stateStore, leaseProvider: backend.leaseProvider,
                description: "Redis at \(target) (prefix \(options.prefix))", usesFiles: false,
                closeConnections: { backend.close() })
        }
        let directory = options.stateDirectory ?? ".migrations"
        let explicit = ["/", "./", "../"].contains { directory.hasPrefix($0) }
        let place = explicit ? directory : "./" + directory
        let description =
            options.stateDirectory == nil ? "files at \(place) (no REDIS_URL)" : "files at \(place)"
        do {
            return MigrationBackend(
                stateStore: try FileStateStore(directory: directory),
                leaseProvider: try FileLeaseProvider(directory: directory),
                description: description, usesFiles: true, closeConnections: {})
        } catch {
            throw MigrationsCommandError(.failed, "cannot use the state directory \(directory): \(error.message)")
        }
    }

    /// Closes the Redis connections, if any.
    public func close() {
        closeConnections()
    }
}
