import Foundation
public import Logging
public import Migrations

#if Redis
    import MigrationsRedis
#endif

/// The backend that ``MigrateStoreOptions`` choose, opened: Redis when `--redis-url` or `REDIS_URL` is
/// set, otherwise files under `--state-dir` (default `.migrations`).
///
/// Redis needs the package's `Redis` trait (on by default). An application built without it uses the
/// file store only and does not link hiredis; a Redis URL given to it is a usage error naming the trait.
///
/// For an application's own start-up code, so that it uses the same state as its `migrate` command:
///
/// ```swift
/// let opened = try await OpenedBackend.open(storeOptions, logger: logger)
/// defer { opened.close() }
/// let runner = MigrationRunner(registry: registry, backend: opened.backend, logger: logger)
/// ```
public struct OpenedBackend: Sendable {
    /// The backend: a `RedisMigrationBackend` or a ``FileMigrationBackend``.
    public let backend: any MigrationBackend
    /// Where state lives, for messages, without any password: `Redis at redis://127.0.0.1:6379 (prefix
    /// migration)`, `files at ./.migrations (no REDIS_URL)` or `files at /srv/state`.
    public let description: String
    /// Whether state lives in files: shared only by processes that see the same directory.
    public let usesFiles: Bool
    private let closeConnections: @Sendable () -> Void

    /// Opens the backend the options choose.
    ///
    /// - Parameters:
    ///   - options: The store options of the command line.
    ///   - logger: The logger for connection messages.
    /// - Throws: ``MigrationsCommandError``: a usage error for a malformed URL, an unreachable error
    ///   (exit code 3) when Redis cannot be reached or refuses the credentials, a failure when the state
    ///   directory cannot be used.
    public static func open(_ options: MigrateStoreOptions, logger: Logger) async throws -> OpenedBackend {
        let environment = ProcessInfo.processInfo.environment
        #if Redis
            if let target = try RedisTarget.resolve(option: options.redisURL, environment: environment) {
                let backend: RedisMigrationBackend
                do {
                    backend = try await RedisMigrationBackend.connect(
                        configuration: target.configuration, keys: RedisMigrationKeys(prefix: options.prefix),
                        leaseTimeToLive: options.leaseDuration)
                } catch {
                    throw MigrationsCommandError.classify(error, redisURL: target.description)
                }
                return OpenedBackend(
                    backend: backend, description: "Redis at \(target) (prefix \(options.prefix))",
                    usesFiles: false, closeConnections: { backend.close() })
            }
        #else
            let environmentURL = environment["REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }
            if options.redisURL != nil || environmentURL != nil {
                let source = options.redisURL != nil ? "--redis-url" : "REDIS_URL"
                throw MigrationsCommandError(
                    .usage,
                    "\(source) is set, but this build has no Redis support: it was built without the "
                        + "swift-migrations trait 'Redis'; enable the trait, or unset \(source) to use the file store")
            }
        #endif
        let directory = options.stateDirectory ?? ".migrations"
        let files: FileMigrationBackend
        do {
            files = try FileMigrationBackend(directory: directory)
        } catch {
            throw MigrationsCommandError(.failed, "cannot use the state directory \(directory): \(error.message)")
        }
        let description = options.stateDirectory == nil ? "\(files.description) (no REDIS_URL)" : files.description
        return OpenedBackend(backend: files, description: description, usesFiles: true, closeConnections: {})
    }

    /// Closes the Redis connections, if any.
    public func close() {
        closeConnections()
    }
}
