import Logging
import Migrations
import MigrationsCLI
import ServiceLifecycle
import Synchronization

/// Whether the start-up migrations have finished: what `/health/ready` answers.
final class Readiness: Sendable {
    private let ready = Atomic(false)

    /// Whether the service is ready for traffic.
    var isReady: Bool { ready.load(ordering: .acquiring) }

    /// Marks the service ready.
    func markReady() { ready.store(true, ordering: .releasing) }
}

/// The start-up migrations as a service beside the HTTP server: the server answers liveness probes at
/// once, while this runs every pending migration (waiting for other replicas' leases), then marks the
/// service ready and stays until the graceful shutdown.
///
/// A failed migration throws, which shuts the whole service down with a non-zero exit; a shutdown
/// while migrating or waiting cancels the run and exits with code 5 (interrupted).
struct StartupMigrations: Service {
    let runner: MigrationRunner<ExampleServices>
    let services: ExampleServices
    let wait: Duration
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        let runner = self.runner
        let services = self.services
        let wait = self.wait
        let results = try await cancelWhenGracefulShutdown {
            try await runner.runPending(
                context: services, options: MigrationRunOptions(whenHeldElsewhere: .wait(timeout: wait)))
        }
        let summary = Dictionary(grouping: results, by: \.status.rawValue).mapValues(\.count)
        logger.info("migrations done at start-up", metadata: ["results": "\(summary)"])
        if let paused = results.first(where: { $0.status == .paused }) {
            throw MigrationsCommandError(
                .paused,
                "migration '\(paused.name)' is \(paused.control?.summary ?? "paused") at start-up; not serving "
                    + "until `migrations resume '\(paused.name)'`")
        }
        if let cancelled = results.first(where: { $0.failure == .cancelled && $0.control != nil }) {
            throw MigrationsCommandError(
                .cancelled,
                "migration '\(cancelled.name)' was \(cancelled.control?.summary ?? "cancelled"); not serving")
        }
        if let cancelled = results.first(where: { $0.failure == .cancelled }) {
            throw MigrationsCommandError(
                .interrupted,
                "migration '\(cancelled.name)' was cancelled at start-up by the shutdown: \(cancelled.error ?? ""); "
                    + "not serving")
        }
        if let failed = results.first(where: \.isFailure) {
            throw ExampleError(
                "migration '\(failed.name)' failed at start-up: \(failed.error ?? "no message"); not serving")
        }
        readiness.markReady()
        logger.info("ready for traffic")
        try? await gracefulShutdown()
    }
}
