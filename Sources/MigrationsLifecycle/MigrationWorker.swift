import Foundation
public import Logging
public import Migrations
public import ServiceLifecycle

/// Runs the background migrations (``Migrations/MigrationSchedule/inBackground``) while the service
/// serves: a swift-service-lifecycle `Service` that every replica runs beside its HTTP server.
///
/// ```swift
/// let worker = MigrationWorker(runner: runner, context: services, logger: logger)
/// let group = ServiceGroup(services: [app, startUp, worker], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
///
/// The worker takes the registry's background migrations in order, as their leases allow: it runs the
/// first one that is not completed once every migration registered before it has completed (start-up
/// runs the ones that must complete before serving), waits while another replica holds it (checking
/// again every ``Configuration/pollInterval``, and taking it over, from its checkpoint, when that holder's
/// lease ends without completion), waits while an operator has it paused and continues from the
/// checkpoint once resumed. A failed migration is tried again after ``Configuration/retryFailuresAfter``;
/// one an operator cancelled waits for an explicit run or reset.
///
/// A graceful shutdown stops a running migration cooperatively: its last checkpoint is written, its lease
/// released and nothing recorded (the result is ``Migrations/MigrationResult/Status/interrupted``), so
/// another replica's worker continues from the checkpoint at once. The worker never affects readiness,
/// and once every background migration has completed it idles until the shutdown.
public struct MigrationWorker<Context: Sendable>: Service {
    /// How the worker paces itself.
    public struct Configuration: Sendable {
        /// How often the worker reads the migrations' state while it waits (for another replica, a
        /// paused migration, the start-up migrations); five seconds by default.
        public var pollInterval: Duration
        /// How long after a failure the worker tries a failed background migration again; five minutes
        /// by default. Every replica's worker sees the same failure, so the fleet retries once per delay.
        public var retryFailuresAfter: Duration
        /// The options of every run; the worker always refuses to wait for a lease (it polls instead)
        /// and does not record a shutdown as a failure.
        public var options: MigrationRunOptions

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - pollInterval: Five seconds by default; at least ten milliseconds.
        ///   - retryFailuresAfter: Five minutes by default.
        ///   - options: The options of every run (`triggeredBy`, `timeout`, `metadata`, `throttle`).
        public init(
            pollInterval: Duration = .seconds(5),
            retryFailuresAfter: Duration = .seconds(300),
            options: MigrationRunOptions = MigrationRunOptions()
        ) {
            self.pollInterval = max(pollInterval, .milliseconds(10))
            self.retryFailuresAfter = retryFailuresAfter
            self.options = options
        }
    }

    private let runner: MigrationRunner<Context>
    private let context: Context
    private let configuration: Configuration
    private let logger: Logger

    /// Creates a worker.
    ///
    /// - Parameters:
    ///   - runner: The runner whose registry holds the background migrations; its clock times the waits.
    ///   - context: The application's context, handed to every step.
    ///   - configuration: Poll interval, retry delay and run options.
    ///   - logger: Where the worker says what it runs and what it waits for.
    public init(
        runner: MigrationRunner<Context>,
        context: Context,
        configuration: Configuration = Configuration(),
        logger: Logger
    ) {
        self.runner = runner
        self.context = context
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs background migrations until the graceful shutdown (or the task's cancellation).
    ///
    /// - Throws: Nothing on shutdown; a failed migration or an unreachable store is logged and retried.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.work()
        }
    }

    private func work() async {
        var settled: Set<String> = []
        var lastWait: BackgroundTurn?
        while !Task.isCancelled {
            let turn: BackgroundTurn
            do {
                let states = try await runner.stateStore.states(for: runner.registry.names)
                turn = BackgroundTurn.next(
                    in: runner.registry.migrations, states: states, settled: settled,
                    retryFailuresAfter: configuration.retryFailuresAfter, now: Date())
            } catch {
                logger.warning(
                    "background migrations: could not read their state; trying again",
                    metadata: ["error": "\(error)"])
                guard await pause() else { return }
                continue
            }
            switch turn {
            case .finished:
                logger.info("background migrations: every one has completed")
                try? await gracefulShutdown()
                return
            case .wait(let name, let reason):
                if turn != lastWait {
                    logger.info("background migrations: waiting for '\(name)': \(reason)")
                    lastWait = turn
                }
                guard await pause() else { return }
            case .run(let name):
                lastWait = nil
                switch await attempt(name) {
                case .ranOrSkipped(let result):
                    if result.status == .skipped { settled.insert(name) }
                case .stopped:
                    return
                case .tryLater:
                    guard await pause() else { return }
                }
            }
        }
    }

    private enum Attempt {
        case ranOrSkipped(MigrationResult)
        case stopped
        case tryLater
    }

    private func attempt(_ name: String) async -> Attempt {
        var options = configuration.options
        options.whenHeldElsewhere = .fail
        options.recordsCancellation = false
        options.skipCompleted = true
        logger.info("background migrations: running '\(name)'")
        do {
            let result = try await runner.run(name, context: context, options: options)
            switch result.status {
            case .interrupted:
                return .stopped
            case .failed where result.failure == .cancelled && result.control == nil:
                return .stopped
            case .failed:
                // The next turn waits for the retry delay; pausing first keeps a store without failure
                // details from retrying at once.
                return Task.isCancelled ? .stopped : .tryLater
            default:
                return .ranOrSkipped(result)
            }
        } catch let error as MigrationError where error.code == .cancelled {
            return .stopped
        } catch let error as MigrationError where error.code == .heldElsewhere || error.code == .alreadyRunning {
            logger.debug("background migrations: '\(name)' is taken: \(error.message)")
            return .tryLater
        } catch {
            logger.warning(
                "background migrations: could not run '\(name)'; trying again", metadata: ["error": "\(error)"])
            return .tryLater
        }
    }

    /// Waits one poll interval on the runner's clock; `false` when the task was cancelled meanwhile.
    private func pause() async -> Bool {
        do {
            try await Self.sleep(on: runner.configuration.clock, for: configuration.pollInterval)
            return true
        } catch {
            return false
        }
    }

    private static func sleep<C: Clock<Duration>>(on clock: C, for duration: Duration) async throws {
        try await clock.sleep(for: duration)
    }
}
