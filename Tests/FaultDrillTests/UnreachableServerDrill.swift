import Foundation
import Logging
import Migrations
import MigrationsRedis
import RedisClient
import Testing

extension FaultDrills {
    @Suite("R6 Redis unreachable", .timeLimit(.minutes(5)))
    struct UnreachableServerDrill {
        /// Proves that a port that swallows connection attempts (a loopback listener that never accepts,
        /// with its accept queue full, so the handshake is never answered) fails with a clear transport
        /// error naming the endpoint within the configured connect timeout, not the operating system's
        /// minutes-long default.
        ///
        /// (A non-routable address such as 10.255.255.1 would test the same thing but sends packets off
        /// this machine; the drills stay on loopback.)
        @Test("a blackholed port fails with a clear timeout within the connect timeout", .timeLimit(.minutes(1)))
        func blackholedPortTimesOut() async throws {
            let listener = try SilentListener(acceptQueueFull: true)
            defer { listener.close() }
            var configuration = RedisConfiguration(endpoint: .tcp(host: "127.0.0.1", port: listener.port))
            configuration.connectTimeout = .milliseconds(500)
            let started = ContinuousClock.now
            let error = await #expect(throws: RedisError.self) {
                _ = try await RedisMigrationBackend.connect(configuration: configuration)
            }
            let elapsed = ContinuousClock.now - started
            #expect(error?.isTransport == true)
            #expect(error?.code == .timedOut, "code \(String(describing: error?.code))")
            #expect(error?.description.contains("127.0.0.1:\(listener.port)") == true, "\(String(describing: error))")
            // It waited for the 500 ms connect timeout and not much longer (a margin for a loaded CI machine).
            #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(3), "took \(elapsed)")
        }

        /// Proves that a server that accepts connections but never answers makes a run fail with a clear
        /// error, naming the cause and the endpoint, within the configured command timeout: the runner
        /// neither hangs nor runs anything.
        @Test("a server that accepts but never answers fails a run within the command timeout", .timeLimit(.minutes(1)))
        func silentServerFailsTheRun() async throws {
            let listener = try SilentListener(acceptQueueFull: false)
            defer { listener.close() }
            var configuration = RedisConfiguration(endpoint: .tcp(host: "127.0.0.1", port: listener.port))
            configuration.connectTimeout = .milliseconds(500)
            configuration.commandTimeout = .milliseconds(500)
            let backend = try await RedisMigrationBackend.connect(configuration: configuration)
            var logger = Logger(label: "r6")
            logger.logLevel = .critical
            let runner = MigrationRunner(
                registry: try MigrationRegistry([ClosureMigration<Int>(name: "never") { _ in Issue.record("up ran") }]),
                backend: backend, logger: logger)
            let started = ContinuousClock.now
            let error = await #expect(throws: MigrationError.self) {
                _ = try await runner.runPending(context: 0)
            }
            let elapsed = ContinuousClock.now - started
            // Bounded by the 500 ms command timeout (a margin for a loaded CI machine), not a hang.
            #expect(elapsed < .seconds(4), "took \(elapsed)")
            let cause = error?.cause as? RedisError
            #expect(cause?.code == .timedOut)
            #expect(
                error?.message.contains("127.0.0.1:\(listener.port)") == true, "\(String(describing: error?.message))")
        }

        /// Proves that a closed port is refused at once with a transport error.
        @Test("a closed port is refused at once")
        func closedPortIsRefused() async throws {
            let port = try SilentListener(acceptQueueFull: false).closedPort()
            let started = ContinuousClock.now
            let error = await #expect(throws: RedisError.self) {
                _ = try await RedisMigrationBackend.connect(
                    configuration: RedisConfiguration(endpoint: .tcp(host: "127.0.0.1", port: port)))
            }
            #expect(error?.code == .connectionRefused)
            #expect(ContinuousClock.now - started < .seconds(3))
        }
    }
}
