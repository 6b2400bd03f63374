import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import Metrics
import Migrations
import MigrationsCLI
import MigrationsHTTP
import MigrationsLifecycle
import MigrationsRedis
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `example-service serve`: runs the pending migrations that must complete before serving at start-up,
/// beside an HTTP server that answers liveness at once and readiness once they finished, and runs the
/// background ones (the order-totals backfill) with a ``MigrationWorker`` while it serves.
///
/// `/health/live` answers 200 as soon as the process listens, so an orchestrator's liveness probe does
/// not kill a replica that waits for another replica's migration; `/health/ready` (and `/health`)
/// answer 503 until every pending start-up migration has run, then 200 (the background backfill does not
/// hold readiness back; a graceful shutdown stops it at its checkpoint and another replica's worker
/// continues it). Start-up waits for another replica that
/// holds a migration's lease instead of failing; a migration that fails stops the service with a
/// non-zero exit. SIGTERM or SIGINT shut down gracefully: a running migration is cancelled, its
/// cancellation recorded and its lease released; a replica still waiting for another replica's lease stops
/// waiting at once and records nothing. Either way the process exits with code 5 (interrupted).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run the start-up migrations, then serve HTTP (health and the /migrations endpoints) while the "
            + "background ones run.",
        discussion: """
            The /migrations endpoints require 'Authorization: Bearer $MIGRATIONS_API_TOKEN'; the dashboard at \
            http://<host>:<port>/dashboard signs in with the same token.

            EXAMPLES:
              MIGRATIONS_API_TOKEN=secret example-service serve --port 8080
              REDIS_URL=redis://127.0.0.1:6379 example-service serve --replica-name web-1
              example-service serve --metrics    # and: curl http://127.0.0.1:8080/metrics
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

    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp(
            "Run the background migrations (the order-totals backfill) by themselves while serving; with "
                + "--no-background-worker they wait for an operator to run them from the dashboard or the API."))
    var backgroundWorker = true

    @Flag(
        help: ArgumentHelp(
            "Export the migrations' and the HTTP server's metrics in the Prometheus text format on GET /metrics "
                + "(no authentication: expose it only where the scraper runs)."))
    var metrics = false

    func run() async throws {
        let logger = Self.makeLogger(level: store.logLevel)
        // Bootstrapped before the runner's configuration is made, which picks the global factory up.
        let registry = metrics ? PrometheusCollectorRegistry() : nil
        if let registry { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
        let dataDirectory = dataDirectory ?? ProcessInfo.processInfo.environment["EXAMPLE_DATA_DIR"] ?? "example-data"
        let services = try ExampleServices.open(
            databasePath: "\(dataDirectory)/example.sqlite", uploadsDirectory: "\(dataDirectory)/uploads")
        let backend = try await OpenedBackend.open(store, logger: logger)
        defer { backend.close() }
        let identity = HostIdentity.current
        let replica = replicaName ?? store.triggeredBy ?? "startup@\(identity.host):\(identity.pid)"
        let runner = MigrationRunner(
            registry: try ExampleMigrations.registry(logger: logger),
            backend: backend.backend,
            logger: logger,
            configuration: .init(triggeredBy: replica, progressInterval: .seconds(1))
        )

        let readiness = Readiness()
        let runs = MigrationHTTPRuns()
        let app = Application(
            router: Self.router(
                runner: runner, services: services, readiness: readiness, runs: runs, metrics: registry,
                storedKeys: Self.storedKeys(of: backend.backend), logger: logger),
            configuration: .init(address: .hostname(host, port: port), serverName: "example-service"),
            onServerRunning: { channel in
                logger.info(
                    "listening (live; ready once the start-up migrations finish)",
                    metadata: ["port": "\(channel.localAddress?.port ?? 0)"])
            },
            logger: logger
        )
        let migrations = StartupMigrations(
            runner: runner, services: services, wait: .milliseconds(Int64(leaseWait * 1000)), readiness: readiness,
            logger: logger)
        logger.notice("state: \(backend.description)", metadata: ["replica": "\(replica)"])
        if backend.usesFiles {
            let warning =
                "the file store keeps migrations exactly-once only among replicas on this machine that share its "
                + "directory; replicas on other machines would each run every migration: set REDIS_URL for a fleet"
            logger.warning("\(warning)")
        }
        let worker = MigrationWorker(
            runner: runner, context: services,
            configuration: .init(pollInterval: .seconds(1), options: .init(triggeredBy: replica)), logger: logger)
        let running: [any Service] = backgroundWorker ? [app, migrations, worker, runs] : [app, migrations, runs]
        let group = ServiceGroup(
            services: running, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    private static func makeLogger(level: String?) -> Logger {
        // Names, hosts and errors from Redis reach these lines: escaped, never obeyed by a terminal.
        var logger = Logger(label: "example-service") { EscapingLogHandler(StreamLogHandler.standardError(label: $0)) }
        logger.logLevel = level.flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }

    /// The request context: sessions for the dashboard, an identity for both it and the JSON endpoints.
    typealias Context = BasicSessionRequestContext<MigrationsDashboardSession<MigrationsCaller>, MigrationsCaller>

    /// `/health/live` (up as soon as the process listens), `/health/ready` and `/health` (200 once the
    /// start-up migrations finished, 503 before), `/migrations` behind a bearer token from
    /// `MIGRATIONS_API_TOKEN`, `/dashboard` behind a sign-in with that token, and with `metrics`,
    /// `/metrics` in the Prometheus text format.
    static func router(
        runner: MigrationRunner<ExampleServices>,
        services: ExampleServices,
        readiness: Readiness,
        runs: MigrationHTTPRuns,
        metrics: PrometheusCollectorRegistry?,
        storedKeys: (@Sendable (String) async throws -> [MigrationsDashboardKey])?,
        logger: Logger
    ) -> Router<Context> {
        let router = Router(context: Context.self)
        if let metrics {
            router.add(middleware: MetricsMiddleware())
            router.get("metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: metrics.emitToString())))
            }
        }
        router.get("health/live") { _, _ in "live" }
        let ready: @Sendable (Request, Context) async throws -> Response = { _, _ in
            guard readiness.isReady else {
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "start-up migrations are still running\n")))
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
        }
        router.get("health/ready", use: ready)
        router.get("health", use: ready)
        var tokens: [String: MigrationsCaller] = [:]
        if let token = ProcessInfo.processInfo.environment["MIGRATIONS_API_TOKEN"], !token.isEmpty {
            tokens[token] = MigrationsCaller(name: "api-token")
        } else {
            logger.warning(
                "MIGRATIONS_API_TOKEN is not set: the /migrations endpoints and the dashboard refuse every request")
        }
        let controller = MigrationsController<ExampleServices, Context>(
            runner: runner, context: { services }, runs: runs)
        controller.addRoutes(
            to: router.group("migrations"), authenticator: BearerTokenAuthenticator<Context>(tokens: tokens))
        MigrationsDashboard(
            controller: controller, tokens: tokens, configuration: .init(storedKeys: storedKeys)
        ).addRoutes(to: router, atPath: "/dashboard", sessions: MemoryPersistDriver())
        return router
    }

    /// Reads a migration's keys for the dashboard when state lives in Redis, as `migrations show` does.
    static func storedKeys(
        of backend: any MigrationBackend
    ) -> (@Sendable (String) async throws -> [MigrationsDashboardKey])? {
        guard let redis = backend as? RedisMigrationBackend else { return nil }
        let inspector = RedisMigrationInspector(connection: redis.connection, keys: redis.stateStore.keys)
        return { name in
            try await inspector.details(of: name).keys.filter(\.exists).map {
                MigrationsDashboardKey(
                    name: $0.key, type: $0.type, value: $0.text, ttlMilliseconds: $0.ttlLeftMilliseconds)
            }
        }
    }
}
