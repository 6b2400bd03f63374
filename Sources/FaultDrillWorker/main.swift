// A replica process for the fault drills (Tests/FaultDrillTests). It registers `count` migrations named
// `<stem>-0` … `<stem>-<count-1>` whose `up` records its own execution, then sleeps `--step-ms`, and runs
// them against Redis.
//
//     FaultDrillWorker --url URL --count N [--prefix P] [--stem S] [--ttl-ms N] [--step-ms N]
//                      [--command-timeout-ms N] [--record redis|journal] [--journal FILE]
//                      [--only NAME] [--one-by-one] [--attempts N]
//                      [--validate-ms N] [--stubborn-ms N] [--timeout-ms N]
//
// Recording: `redis` (the default) does `INCR <prefix>-count:<name>` and `RPUSH <prefix>-runs:<name>
// "<pid> <server ms>"`; `journal` appends `<name> <pid>` to a local file instead, which survives a Redis
// crash.
//
// Slow and stubborn steps: `--validate-ms` makes `validate` take that long; `--stubborn-ms` makes `up` run
// that long ignoring cancellation (it swallows it), then push `"<pid> <server ms>"` to `<prefix>-ends:<name>`;
// `--timeout-ms` sets the run's timeout.
//
// Backfill: `--backfill N` registers one migration, `backfill`, that iterates items 0..<N in batches of
// `--batch B` (default 100) with the batch helper, sleeping `--batch-ms` per batch, appending `<item> <pid>`
// lines to `--journal` for every processed batch, and checkpointing every `--checkpoint-ms` (default
// 1000). `--state-dir DIR` keeps state in files instead of Redis (then `--url` is only for recording).
//
// Running: `runPending` by default; `--only NAME` runs one migration; `--one-by-one` runs each with
// `run(name)`, retrying a refused or failed run up to `--attempts` times (100 ms apart), so the process
// rides out a Redis restart the way a service retrying at start-up would.
//
// Output: one JSON line per outcome, written as it happens: a `MigrationResult`, or
// `{"event":"error","name":…,"message":…}` for a refused run. Exit status: 0 when every migration ended
// completed or skipped, 1 when one ended failed, 3 when the backend could not be set up or a run was refused.
import Foundation
import Logging
import Migrations
import MigrationsRedis
import RedisClient

#if canImport(Glibc)
    import Glibc
#endif

/// What each migration's `up` uses to record its execution.
struct DrillApp: Sendable {
    let counter: RedisConnection?
    let journal: String?
    let prefix: String

    func recordExecution(of name: String) async throws {
        if let counter {
            let milliseconds = try await serverMilliseconds(counter)
            _ = try await counter.pipeline([
                ["INCR", "\(prefix)-count:\(name)"],
                ["RPUSH", "\(prefix)-runs:\(name)", "\(getpid()) \(milliseconds)"],
            ])
        }
        if let journal {
            let descriptor = open(journal, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw POSIXError(.EIO) }
            defer { close(descriptor) }
            let bytes = Array("\(name) \(getpid())\n".utf8)
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        }
    }

    /// Pushes `"<pid> <server ms>"` to `<prefix>-ends:<name>`: when a step really returned.
    func recordEnd(of name: String) async throws {
        guard let counter else { return }
        let milliseconds = try await serverMilliseconds(counter)
        _ = try await counter.send(["RPUSH", "\(prefix)-ends:\(name)", "\(getpid()) \(milliseconds)"])
    }

    private func serverMilliseconds(_ connection: RedisConnection) async throws -> Int {
        let time = try await connection.send(["TIME"]).array ?? []
        return (Int(time.first?.string ?? "0") ?? 0) * 1000 + (Int(time.last?.string ?? "0") ?? 0) / 1000
    }
}

/// Runs for `duration` of wall time, swallowing cancellation: a step that ignores it.
func ignoringCancellation(for duration: Duration) async {
    let end = ContinuousClock.now + duration
    while ContinuousClock.now < end {
        try? await Task.sleep(for: .milliseconds(10))
        if Task.isCancelled { usleep(10_000) }
    }
}

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: "--" + name), index + 1 < CommandLine.arguments.count
    else { return nil }
    return CommandLine.arguments[index + 1]
}

func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func emitError(_ name: String?, _ error: any Error) {
    let object: [String: String] = ["event": "error", "name": name ?? "", "message": "\(error)"]
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    emit(String(decoding: data, as: UTF8.self))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(3)
}

let backfill = option("backfill").flatMap(Int.init)
let url = option("url")
guard url != nil || option("state-dir") != nil,
    let count = option("count").flatMap(Int.init) ?? backfill.map({ _ in 1 })
else {
    fail("usage: FaultDrillWorker --url URL --count N [--prefix P] [--stem S] [--ttl-ms N] [--step-ms N] …")
}
let prefix = option("prefix") ?? "migration"
let stem = option("stem") ?? "drill"
let step = Duration.milliseconds(option("step-ms").flatMap(Int.init) ?? 0)
let attempts = max(1, option("attempts").flatMap(Int.init) ?? 1)
let recordsInRedis = (option("record") ?? "redis") == "redis"
let validation = Duration.milliseconds(option("validate-ms").flatMap(Int.init) ?? 0)
let stubborn = Duration.milliseconds(option("stubborn-ms").flatMap(Int.init) ?? 0)
let timeout = option("timeout-ms").flatMap(Int.init).map { Duration.milliseconds($0) }

var logger = Logger(label: "fault-drill-worker")
logger.logLevel = .critical

/// A backfill over items `0..<total`: batches of `size`, each appended to the journal as `<item> <pid>` lines.
func backfillMigration(total: Int, size: Int, pause: Duration) -> ClosureMigration<DrillApp> {
    ClosureMigration<DrillApp>(name: "backfill") { context in
        context.progress.setTotal(total)
        try await context.iterate(from: nil as Int?) { (after: Int?) -> MigrationBatch<Int, Int>? in
            let start = after ?? 0
            guard start < total else { return nil }
            let end = min(total, start + size)
            return MigrationBatch(items: Array(start..<end), cursor: end)
        } process: { items in
            if pause > .zero { try await Task.sleep(for: pause) }
            try context.app.journal(items)
        }
    }
}

extension DrillApp {
    /// Appends `<item> <pid>` for every item in one `write`.
    func journal(_ items: [Int]) throws {
        guard let journal else { return }
        let descriptor = open(journal, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        let bytes = Array(items.map { "\($0) \(getpid())\n" }.joined().utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}

let runner: MigrationRunner<DrillApp>
let app: DrillApp
do {
    var configuration = try url.map { try RedisConfiguration(url: $0) }
    if let timeout = option("command-timeout-ms").flatMap(Int.init) {
        configuration?.commandTimeout = .milliseconds(timeout)
        configuration?.connectTimeout = .milliseconds(timeout)
    }
    let backend: any MigrationBackend
    if let directory = option("state-dir") {
        backend = try FileMigrationBackend(directory: directory)
    } else if let configuration {
        backend = try await RedisMigrationBackend.connect(
            configuration: configuration, keys: RedisMigrationKeys(prefix: prefix),
            leaseTimeToLive: .milliseconds(option("ttl-ms").flatMap(Int.init) ?? 30_000))
    } else {
        fail("--url or --state-dir is required")
    }
    app = DrillApp(
        counter: recordsInRedis && configuration != nil
            ? try await RedisConnection(configuration: configuration!) : nil,
        journal: option("journal"), prefix: prefix)
    var registry = MigrationRegistry<DrillApp>()
    if let backfill {
        try registry.register(
            backfillMigration(
                total: backfill, size: option("batch").flatMap(Int.init) ?? 100,
                pause: .milliseconds(option("batch-ms").flatMap(Int.init) ?? 0)))
    }
    for index in 0..<(backfill == nil ? count : 0) {
        try registry.register(
            ClosureMigration<DrillApp>(
                name: "\(stem)-\(index)",
                validate: { _ in
                    if validation > .zero { try await Task.sleep(for: validation) }
                    return .valid
                },
                up: { context in
                    try await context.app.recordExecution(of: context.migrationName)
                    if step > .zero { try await Task.sleep(for: step) }
                    if stubborn > .zero {
                        await ignoringCancellation(for: stubborn)
                        try await context.app.recordEnd(of: context.migrationName)
                    }
                }))
    }
    runner = MigrationRunner(
        registry: registry, backend: backend, logger: logger,
        configuration: .init(
            triggeredBy: "fault-drill",
            checkpointInterval: .milliseconds(option("checkpoint-ms").flatMap(Int.init) ?? 1000)))
} catch {
    fail("backend: \(error)")
}

let options = MigrationRunOptions(timeout: timeout, whenHeldElsewhere: .wait(timeout: .seconds(60)))
var anyFailed = false
var anyRefused = false

func report(_ result: MigrationResult) {
    if let data = try? result.jsonData() { emit(String(decoding: data, as: UTF8.self)) }
}

if let only = option("only") {
    do {
        let result = try await runner.run(only, context: app, options: options)
        report(result)
        anyFailed = result.isFailure
    } catch {
        emitError(only, error)
        anyRefused = true
    }
} else if option("one-by-one") != nil {
    for name in runner.registry.names {
        var settled = false
        for attempt in 1...attempts where !settled {
            if attempt > 1 { try? await Task.sleep(for: .milliseconds(100)) }
            do {
                let result = try await runner.run(name, context: app, options: options)
                report(result)
                settled = !result.isFailure
            } catch {
                emitError(name, error)
            }
        }
        if !settled { anyFailed = true }
    }
} else {
    do {
        let results = try await runner.runPending(context: app, options: options)
        results.forEach(report)
        anyFailed = results.contains(where: \.isFailure)
    } catch {
        emitError(nil, error)
        anyRefused = true
    }
}
exit(anyRefused ? 3 : anyFailed ? 1 : 0)
