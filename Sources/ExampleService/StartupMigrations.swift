import Logging
import Migrations
import MigrationsCLI
import MigrationsLifecycle
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
/// once, while this runs every pending migration that must complete before serving (waiting for other
/// replicas' leases), then marks the service ready and stays until the graceful shutdown. The background
/// migrations are the ``MigrationWorker``'s.
///
/// A migration an operator paused keeps the service live but not ready: it waits, checking every second,
/// until `migrations resume`, then goes on. A failed migration throws, which shuts the whole service down
/// with a non-zero exit; a shutdown while migrating or waiting cancels the run and exits with code 5
/// (interrupted).
struct StartupMigrations: Service {
    let runner: MigrationRunner<ExampleServices>
    let services: ExampleServices
    let wait: Duration
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        while true {
            let results = try await runBeforeServing()
            let summary = Dictionary(grouping: results, by: \.status.rawValue).mapValues(\.count)
            logger.info("migrations done at start-up", metadata: ["results": "\(summary)"])
            guard let paused = results.first(where: { $0.status == .paused }) else {
                try check(results)
                break
            }
            let advice =
                "migration '\(paused.name)' is \(paused.control?.summary ?? "paused"); live but not ready until "
                + "`migrations resume '\(paused.name)'`"
            logger.warning("\(advice)")
            try await waitWhilePaused(paused.name)
            logger.notice("migration '\(paused.name)' was resumed; going on with the start-up migrations")
        }
        readiness.markReady()
        logger.info("ready for traffic")
        try? await gracefulShutdown()
    }

    private func runBeforeServing() async throws -> [MigrationResult] {
        let runner = self.runner
        let services = self.services
        let wait = self.wait
        return try await cancelWhenGracefulShutdown {
            try await runner.runBeforeServing(
                context: services, options: MigrationRunOptions(whenHeldElsewhere: .wait(timeout: wait)))
        }
    }

    /// Polls the store until the pause request is gone; a shutdown meanwhile exits with code 5.
    private func waitWhilePaused(_ name: String) async throws {
        let store = runner.stateStore
        do {
            try await cancelWhenGracefulShutdown {
                while try await store.control(of: name)?.action == .pause {
                    try await Task.sleep(for: .seconds(1))
                }
            }
        } catch is CancellationError {
            throw MigrationsCommandError(
                .interrupted, "shut down while migration '\(name)' was paused at start-up; nothing ran")
        }
    }

    private func check(_ results: [MigrationResult]) throws {
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
    }
}
