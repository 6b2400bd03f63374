import CoreMetrics
import Foundation
import InMemoryLogging
import Logging
import Migrations
import MigrationsTestSupport
import Synchronization
import Tracing

/// The application context of the tests: counts every step it is asked to run.
final class TestApp: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func record(_ step: String) {
        counts.withLock { $0[step, default: 0] += 1 }
    }

    func count(_ step: String) -> Int {
        counts.withLock { $0[step] ?? 0 }
    }
}

/// A migration built from closures that records its steps in the ``TestApp``.
func counting(
    _ name: String,
    validate: ValidationResult = .valid,
    withDown: Bool = true,
    schedule: MigrationSchedule = .beforeServing,
    up: @escaping @Sendable (MigrationContext<TestApp>) async throws -> Void = { _ in }
) -> ClosureMigration<TestApp> {
    ClosureMigration<TestApp>(
        name: name,
        description: "test migration \(name)",
        validate: { _ in validate },
        up: { context in
            context.app.record("\(name).up\(context.dryRun ? ".dry" : "")")
            try await up(context)
        },
        down: withDown
            ? { @Sendable context in context.app.record("\(name).down\(context.dryRun ? ".dry" : "")") } : nil,
        schedule: schedule
    )
}

/// A runner over the given migrations with in-memory state and an in-memory log.
struct TestHarness {
    let app = TestApp()
    let store: any MigrationStateStore
    let logs = InMemoryLogHandler()
    let runner: MigrationRunner<TestApp>

    init(
        _ migrations: [any Migration<TestApp>],
        store: some MigrationStateStore = InMemoryStateStore(),
        leaseProvider: some MigrationLeaseProvider = InProcessLeaseProvider(),
        progressInterval: Duration = .seconds(5),
        checkpointInterval: Duration = .seconds(1),
        controlPollInterval: Duration = .seconds(1),
        clock: any Clock<Duration> = ContinuousClock(),
        metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance,
        tracer: any Tracer = NoOpTracer()
    ) throws {
        self.store = store
        let handler = logs
        let logger = Logger(label: "test") { _ in handler }
        runner = MigrationRunner(
            registry: try MigrationRegistry(migrations),
            backend: TestBackend(stateStore: store, leaseProvider: leaseProvider),
            logger: logger,
            configuration: .init(
                triggeredBy: "tests", progressInterval: progressInterval, checkpointInterval: checkpointInterval,
                controlPollInterval: controlPollInterval, clock: clock, metricsFactory: metricsFactory,
                tracer: tracer)
        )
    }
}

/// A store and leases chosen separately, as tests that fake one of them need.
struct TestBackend<StateStore: MigrationStateStore, LeaseProvider: MigrationLeaseProvider>: MigrationBackend {
    let stateStore: StateStore
    let leaseProvider: LeaseProvider
    var description: String { "test backend" }
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-tests-\(UUID().uuidString)")
        .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Takes `name`'s lease from `leases` as another holder would, failing the test if it cannot.
func holdLease(
    _ name: String,
    from leases: InProcessLeaseProvider,
    as holder: LeaseHolder
) async throws -> any MigrationLease {
    let acquisition = try await leases.acquire(LeaseRequest(name: name, holder: holder, skipIfCompleted: false))
    guard case .acquired(let lease, _) = acquisition else {
        throw TestSetupError(message: "could not take the lease of \(name)")
    }
    return lease
}

struct TestSetupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Polls `condition` until it holds, for at most 20 s of real time.
func pollUntil(_ condition: () async throws -> Bool) async throws {
    try await waitUntil("the condition holds", interval: .milliseconds(2), condition)
}
