import Foundation
import Logging
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient

/// The application context the benchmark migrations receive: nothing, or a connection to count on.
struct BenchApp: Sendable {
    /// Where `up` counts its executions, if it does.
    let counter: RedisConnection?
    /// The prefix of the counting keys: `<prefix>-count:<name>` and `<prefix>-runs:<name>`.
    let counterPrefix: String

    /// An app whose migrations count nothing.
    static let silent = BenchApp(counter: nil, counterPrefix: "")

    /// Counts one execution of `name`: `INCR <prefix>-count:<name>` and `RPUSH <prefix>-runs:<name> <pid>`.
    func recordExecution(of name: String) async throws {
        guard let counter else { return }
        _ = try await counter.pipeline([
            ["INCR", "\(counterPrefix)-count:\(name)"],
            ["RPUSH", "\(counterPrefix)-runs:\(name)", "\(ProcessInfo.processInfo.processIdentifier)"],
        ])
    }
}

/// Builders for the registries, runners and seeded key spaces the benchmarks share.
enum BenchFixtures {
    /// A logger that only lets warnings and errors through, to standard error.
    static func quietLogger(_ label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        return logger
    }

    /// `count` names that sort in registration order: `<stem>-00000` …
    static func names(_ stem: String, count: Int) -> [String] {
        (0..<count).map { index in
            let digits = String(index)
            return stem + "-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        }
    }

    /// A registry of migrations that count their execution (when the app has a counter) and then sleep `step`.
    static func registry(_ names: [String], step: Duration = .zero) throws -> MigrationRegistry<BenchApp> {
        var registry = MigrationRegistry<BenchApp>()
        for name in names {
            try registry.register(
                ClosureMigration<BenchApp>(name: name) { context in
                    try await context.app.recordExecution(of: context.migrationName)
                    if step > .zero { try await Task.sleep(for: step) }
                })
        }
        return registry
    }

    /// The package's test worker, built next to this executable (`Benchmarks/run.sh` builds both): the
    /// replicas of the fleet and takeover figures, and the backfill the redo-window figure kills.
    static var testWorker: String {
        URL(fileURLWithPath: ChildProcess.currentExecutable).deletingLastPathComponent()
            .appending(path: "MigrationsTestWorker").path
    }

    /// Times one `runPending` of `registry` over a new in-memory backend: the engine's own cost, with no
    /// store behind it (P3's context row, and `migrations-bench child engine`).
    ///
    /// - Parameter registry: The migrations; every one must complete.
    /// - Returns: The run's time, in seconds.
    static func timeInMemoryRunPending(_ registry: MigrationRegistry<BenchApp>) async throws -> Double {
        let runner = MigrationRunner(
            registry: registry, backend: InMemoryMigrationBackend(), logger: quietLogger("bench-memory"),
            configuration: .init(triggeredBy: "migrations-bench"))
        var results: [MigrationResult] = []
        let elapsed = try await Measurement.time { results = try await runner.runPending(context: .silent) }
        guard results.count == registry.count, results.allSatisfy({ $0.status == .completed }) else {
            throw BenchFailure("the in-memory runPending completed \(results.count) of \(registry.count)")
        }
        return elapsed.seconds
    }

    /// A runner over the Redis backend.
    static func runner(
        _ registry: MigrationRegistry<BenchApp>,
        backend: RedisMigrationBackend,
        label: String = "bench"
    ) -> MigrationRunner<BenchApp> {
        MigrationRunner(
            registry: registry, backend: backend,
            logger: quietLogger(label), configuration: .init(triggeredBy: "migrations-bench"))
    }

    // MARK: - Seeding a key space

    /// Writes the keys of `names` as a fleet would leave them: 60 % completed (with a result JSON),
    /// 20 % failed (an error message), 10 % running (a lease with a TTL and a progress snapshot), 10 % pending.
    ///
    /// - Returns: How many of each state were written.
    @discardableResult
    static func seedMixedStates(
        _ names: [String], keys: RedisMigrationKeys, on connection: RedisConnection
    ) async throws -> (completed: Int, failed: Int, running: Int, pending: Int) {
        var tally = (completed: 0, failed: 0, running: 0, pending: 0)
        var batch: [[String]] = []
        let encoder = MigrationJSON.encoder()
        for (index, name) in names.enumerated() {
            let started = Date(timeIntervalSince1970: 1_764_000_000 + Double(index))
            switch index % 10 {
            case 0..<6:
                let result = MigrationResult(
                    name: name, status: .completed, startedAt: started, finishedAt: started.addingTimeInterval(0.25),
                    triggeredBy: "startup", host: "api-7f9c", pid: 4242, attempts: 1, fencingToken: 1)
                batch.append(["SET", keys.completed(name), "true"])
                batch.append(["SET", keys.result(name), String(decoding: try encoder.encode(result), as: UTF8.self)])
                tally.completed += 1
            case 6, 7:
                batch.append(["SET", keys.error(name), "up threw: the table users_v2 does not exist"])
                tally.failed += 1
            case 8:
                let lease = RedisLeaseValue(
                    token: LeaseToken.random(), host: "api-7f9c", pid: 4242, triggeredBy: "startup",
                    acquiredAt: started, fencingToken: 3, ttlMs: 30_000)
                let progress = ProgressSnapshot(
                    completed: 4_500, total: 10_000, elapsedSeconds: 12.5, isFinished: false, startedAt: started)
                batch.append([
                    "SET", keys.lease(name), String(decoding: try encoder.encode(lease), as: UTF8.self), "PX",
                    "3600000",
                ])
                batch.append([
                    "SET", keys.progress(name), String(decoding: try encoder.encode(progress), as: UTF8.self), "PX",
                    "3600000",
                ])
                tally.running += 1
            default:
                tally.pending += 1
            }
            if batch.count >= 2_000 {
                _ = try await connection.pipeline(batch, timeout: .seconds(30))
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { _ = try await connection.pipeline(batch, timeout: .seconds(30)) }
        return tally
    }

    /// Reads `<prefix>-count:<name>` for every name in one round trip.
    static func executionCounts(_ names: [String], prefix: String, on connection: RedisConnection) async throws
        -> [Int]
    {
        let replies = try await connection.pipeline(
            names.map { ["GET", "\(prefix)-count:\($0)"] }, timeout: .seconds(30))
        return replies.map { Int($0.string ?? "0") ?? 0 }
    }
}
