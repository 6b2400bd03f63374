import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import Migrations
import MigrationsCLI
import MigrationsHTTP
import MigrationsRedis
import ServiceLifecycle

/// `example-service serve`: runs pending migrations, then accepts HTTP traffic.
///
/// Start-up runs every pending migration before the server accepts a request, waiting for another
/// replica that holds a migration's lease instead of failing; a migration that fails stops the start-up
/// with a non-zero exit. SIGTERM or SIGINT shut down gracefully: a running migration is cancelled, its
/// cancellation recorded and its lease released; a replica still waiting for another replica's lease stops
/// waiting at once and records nothing. Either way the process exits with code 5 (interrupted).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run pending migrations, then serve HTTP (health and the /migrations endpoints).",
        discussion: """
            The /migrations endpoints require 'Authorization: Bearer $MIGRATIONS_API_TOKEN'.

            EXAMPLES:
              MIGRATIONS_API_TOKEN=secret example-service serve --port 8080
              REDIS_URL=redis://127.0.0.1:6379 example-service serve --replica-name web-1
            """
    )

    @OptionGroup var store: MigrateStoreOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(
        name: .customLong("data-dir"),
        help: "Where the database and uploads live. (default: $EXAMPLE_DATA_DIR or example-data)")
    var dataDirectory: String?

    @Option(help: "How long start-up waits for another replica's migration, in seconds.")
    var leaseWait: Double = 600

    @Option(
        help: "The name of this replica, recorded as triggeredBy. (default: --triggered-by, else startup@<host>:<pid>)")
    var replicaName: String?

    func run() async throws {
        let logger = Self.makeLogger(level: store.logLevel)
        let dataDirectory = dataDirectory ?? ProcessInfo.processInfo.environment["EXAMPLE_DATA_DIR"] ?? "example-data"
        let services = try ExampleServices.open(
            databasePath: "\(dataDirectory)/example.sqlite", uploadsDirectory: "\(dataDirectory)/uploads")
        let backend = try await MigrationBackend.open(store, logger: logger)
        defer { backend.close() }
        let identity = HostIdentity.current
        let replica = replicaName ?? store.triggeredBy ?? "startup@\(identity.host):\(identity.pid)"
        let runner = MigrationRunner(
            registry: try ExampleMigrations.registry(logger: logger),
            stateStore: backend.stateStore,
            leaseProvider: backend.leaseProvider,
            logger: logger,
            configuration: .init(triggeredBy: replica, progressInterval: .seconds(1))
        )

        var app = Application(
            router: Self.router(runner: runner, services: services, logger: logger),
            configuration: .init(address: .hostname(host, port: port), serverName: "example-service"),
            onServerRunning: { channel in
                logger.info("accepting traffic", metadata: ["port": "\(channel.localAddress?.port ?? 0)"])
            },
            logger: logger
        )
        let wait = Duration.milliseconds(Int64(leaseWait * 1000))
        app.beforeServerStarts {
            try await Self.runPendingMigrations(runner, services: services, wait: wait, logger: logger)
        }
        logger.info("starting", metadata: ["state": "\(backend.description)", "replica": "\(replica)"])
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    private static func makeLogger(level: String?) -> Logger {
        var logger = Logger(label: "example-service")
        logger.logLevel = level.flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }

    /// Runs every pending migration, cancelled by a graceful shutdown; throws when one failed.
    static func runPendingMigrations(
        _ runner: MigrationRunner<ExampleServices>,
        services: ExampleServices,
        wait: Duration,
        logger: Logger
    ) async throws {
        let results = try await cancelWhenGracefulShutdown {
            try await runner.runPending(
                context: services, options: MigrationRunOptions(whenHeldElsewhere: .wait(timeout: wait)))
        }
        let summary = Dictionary(grouping: results, by: \.status.rawValue).mapValues(\.count)
        logger.info("migrations done at start-up", metadata: ["results": "\(summary)"])
        if let cancelled = results.first(where: { $0.failure == .cancelled }) {
            throw MigrationsCommandError(
                .interrupted,
                "migration '\(cancelled.name)' was cancelled at start-up by the shutdown: \(cancelled.error ?? ""); not serving")
        }
        if let failed = results.first(where: \.isFailure) {
            throw ExampleError(
                "migration '\(failed.name)' failed at start-up: \(failed.error ?? "no message"); not serving")
        }
    }

    /// `/health`, and `/migrations` behind a bearer token from `MIGRATIONS_API_TOKEN`.
    static func router(
        runner: MigrationRunner<ExampleServices>,
        services: ExampleServices,
        logger: Logger
    ) -> Router<BasicAuthRequestContext<MigrationsCaller>> {
        typealias Context = BasicAuthRequestContext<MigrationsCaller>
        let router = Router(context: Context.self)
        router.get("health") { _, _ in "ok" }
        var tokens: [String: MigrationsCaller] = [:]
        if let token = ProcessInfo.processInfo.environment["MIGRATIONS_API_TOKEN"], !token.isEmpty {
            tokens[token] = MigrationsCaller(name: "api-token")
        } else {
            logger.warning("MIGRATIONS_API_TOKEN is not set: the /migrations endpoints refuse every request")
        }
        MigrationsController<ExampleServices, Context>(runner: runner, context: { services })
            .addRoutes(to: router.group("migrations"), authenticator: BearerTokenAuthenticator<Context>(tokens: tokens))
        return router
    }
}
