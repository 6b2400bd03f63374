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

/// The tests' harness: ``MigrationTestHarness`` over a fresh ``TestApp``.
typealias TestHarness = MigrationTestHarness<TestApp>

extension MigrationTestHarness where App == TestApp {
    /// A harness over a fresh ``TestApp``, with the intervals, clock and instruments a test picks.
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
        try self.init(
            migrations, app: TestApp(), store: store, leaseProvider: leaseProvider,
            configuration: .init(
                triggeredBy: "tests", progressInterval: progressInterval, checkpointInterval: checkpointInterval,
                controlPollInterval: controlPollInterval, clock: clock, metricsFactory: metricsFactory,
                tracer: tracer))
    }
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-tests-\(UUID().uuidString)")
        .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

struct TestSetupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Polls `condition` until it holds, for at most 20 s of real time.
func pollUntil(_ condition: () async throws -> Bool) async throws {
    try await waitUntil("the condition holds", interval: .milliseconds(2), condition)
}
