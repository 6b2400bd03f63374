import ArgumentParser
import Foundation
import Logging
import Migrations
import MigrationsRedis
import RedisClient

/// The one worker process of this package's tests, drills and benchmarks: a replica that registers
/// migrations which record their own execution, runs them against Redis or the file store, and prints
/// one JSON line per outcome.
///
/// Modes: `runPending` by default, again up to `--attempts` times (100 ms apart) while a run is refused
/// or a migration fails; `--only NAME` runs one migration; `--one-by-one` runs each with `run(name)`,
/// retrying a refused or failed run up to `--attempts` times, as a service retrying at start-up rides
/// out a Redis restart; `--backfill N` registers one resumable backfill instead of the counting
/// migrations, sharded with `--shards K`.
///
/// Output: a `MigrationResult` a line, or `{"event":"error","name":…,"message":…}` for a refused run.
/// Exit status: 0 when every migration ended completed or skipped, 1 when one failed, 3 when the
/// backend could not be set up or a run was refused.
@main
struct MigrationsTestWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "MigrationsTestWorker",
        abstract: "A replica for the tests, drills and benchmarks: runs migrations that record their execution.")

    @Option(help: "The Redis URL: state and leases there (unless --state-dir), and the counters.")
    var url: String?

    @Option(name: .customLong("state-dir"), help: "Keep state and leases in files in this directory.")
    var stateDirectory: String?

    @Option(help: "The Redis key prefix of state, leases and counters.")
    var prefix = "migration"

    @Option(help: "How many counting migrations to register, named <stem>-0 …")
    var count: Int?

    @Option(help: "The name stem of the counting migrations.")
    var stem = "drill"

    @Option(name: .customLong("ttl-ms"), help: "The Redis lease TTL in milliseconds.")
    var leaseTimeToLive = 30_000

    @Option(name: .customLong("step-ms"), help: "How long each `up` sleeps after recording.")
    var step = 0

    @Option(name: .customLong("validate-ms"), help: "How long each `validate` takes.")
    var validation = 0

    @Option(
        name: .customLong("stubborn-ms"),
        help: "How long each `up` then runs ignoring cancellation, pushing <prefix>-ends:<name> when it returns.")
    var stubborn = 0

    @Option(name: .customLong("timeout-ms"), help: "The run's timeout.")
    var timeout: Int?

    @Option(name: .customLong("command-timeout-ms"), help: "The Redis connect and command timeouts.")
    var commandTimeout: Int?

    @Option(help: "Where `up` records: redis (INCR and RPUSH counters) or journal (only --journal).")
    var record: Recording = .redis

    @Option(help: "A file each `up` appends `<name> <pid>` to (and the backfill `<item> <pid>` per item).")
    var journal: String?

    @Option(help: "Run only this migration, with run(name).")
    var only: String?

    @Flag(name: .customLong("one-by-one"), help: "Run each migration with run(name), retrying up to --attempts.")
    var oneByOne = false

    @Option(help: "How many times runPending runs, or --one-by-one tries each migration, until none fails.")
    var attempts = 1

    @Option(help: "Register one migration, `backfill`, over this many items instead of the counting ones.")
    var backfill: Int?

    @Option(help: "Shard the backfill into this many shards, each leased, checkpointed and completed on its own.")
    var shards: Int?

    @Option(help: "The backfill's batch size.")
    var batch = 100

    @Option(name: .customLong("batch-ms"), help: "How long the backfill sleeps per batch.")
    var batchPause = 0

    @Option(name: .customLong("batch-us"), help: "How long the backfill busy-spins per batch (CPU-bound work).")
    var batchSpin = 0

    @Option(name: .customLong("checkpoint-ms"), help: "The runner's checkpoint interval.")
    var checkpointInterval = 1000

    /// Where each `up` records its execution.
    enum Recording: String, ExpressibleByArgument {
        case redis, journal
    }

    func validate() throws {
        guard url != nil || stateDirectory != nil else { throw ValidationError("--url or --state-dir is required") }
        guard count != nil || backfill != nil else { throw ValidationError("--count or --backfill is required") }
    }

    func run() async throws {
        let runner: MigrationRunner<WorkerApp>
        let app: WorkerApp
        do {
            (runner, app) = try await makeRunner()
        } catch {
            FileHandle.standardError.write(Data("backend: \(error)\n".utf8))
            throw ExitCode(3)
        }
        let options = MigrationRunOptions(
            timeout: timeout.map { .milliseconds($0) }, whenHeldElsewhere: .wait(timeout: .seconds(60)))
        let outcome = await runMigrations(runner, app: app, options: options)
        if outcome != 0 { throw ExitCode(outcome) }
    }

    private func makeRunner() async throws -> (MigrationRunner<WorkerApp>, WorkerApp) {
        var configuration = try url.map { try RedisConfiguration(url: $0) }
        if let commandTimeout {
            configuration?.commandTimeout = .milliseconds(commandTimeout)
            configuration?.connectTimeout = .milliseconds(commandTimeout)
        }
        let backend: any MigrationBackend
        if let stateDirectory {
            backend = try FileMigrationBackend(directory: stateDirectory)
        } else if let configuration {
            backend = try await RedisMigrationBackend.connect(
                configuration: configuration, keys: RedisMigrationKeys(prefix: prefix),
                leaseTimeToLive: .milliseconds(leaseTimeToLive))
        } else {
            throw ValidationError("--url or --state-dir is required")
        }
        let counter: RedisConnection? =
            if let configuration { try await RedisConnection(configuration: configuration) } else { nil }
        let migrations: [ClosureMigration<WorkerApp>] =
            if let backfill {
                [
                    WorkerMigrations.backfill(
                        total: backfill, size: batch, pause: .milliseconds(batchPause),
                        spin: .microseconds(batchSpin), shards: shards)
                ]
            } else {
                WorkerMigrations.counting(
                    stem: stem, count: count ?? 0, step: .milliseconds(step), validation: .milliseconds(validation),
                    stubborn: .milliseconds(stubborn))
            }
        var logger = Logger(label: "migrations-test-worker")
        logger.logLevel = .critical
        let runner = MigrationRunner(
            registry: try MigrationRegistry(migrations), backend: backend, logger: logger,
            configuration: .init(triggeredBy: "test-worker", checkpointInterval: .milliseconds(checkpointInterval)))
        return (
            runner, WorkerApp(counter: counter, countsExecutions: record == .redis, journal: journal, prefix: prefix)
        )
    }

    /// Runs the migrations in the chosen mode and returns the exit status.
    private func runMigrations(
        _ runner: MigrationRunner<WorkerApp>, app: WorkerApp, options: MigrationRunOptions
    ) async -> Int32 {
        if let only {
            do {
                let result = try await runner.run(only, context: app, options: options)
                Self.emit(result)
                return result.isFailure ? 1 : 0
            } catch {
                Self.emitError(only, error)
                return 3
            }
        }
        if oneByOne {
            var anyFailed = false
            for name in runner.registry.names {
                var settled = false
                for attempt in 1...max(1, attempts) where !settled {
                    if attempt > 1 { try? await Task.sleep(for: .milliseconds(100)) }
                    do {
                        let result = try await runner.run(name, context: app, options: options)
                        Self.emit(result)
                        settled = !result.isFailure
                    } catch {
                        Self.emitError(name, error)
                    }
                }
                if !settled { anyFailed = true }
            }
            return anyFailed ? 1 : 0
        }
        var status: Int32 = 3
        for attempt in 1...max(1, attempts) {
            if attempt > 1 { try? await Task.sleep(for: .milliseconds(100)) }
            do {
                let results = try await runner.runPending(context: app, options: options)
                results.forEach(Self.emit)
                status = results.contains(where: \.isFailure) ? 1 : 0
            } catch {
                Self.emitError(nil, error)
                status = 3
            }
            if status == 0 { break }
        }
        return status
    }

    private static func emit(_ result: MigrationResult) {
        if let data = try? result.jsonData() { emit(String(decoding: data, as: UTF8.self)) }
    }

    private static func emitError(_ name: String?, _ error: any Error) {
        let object: [String: String] = ["event": "error", "name": name ?? "", "message": "\(error)"]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        emit(String(decoding: data, as: UTF8.self))
    }

    private static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
