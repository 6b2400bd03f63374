// A worker process for the race and crash tests. It registers `count` migrations named
// `race-0` … `race-<count-1>` whose `up` counts its own executions (a line in a journal file, or an
// INCR in Redis), then sleeps `--step-ms`, and runs them all (or `--only NAME`) with `runPending`.
//
//     MigrationsTestWorker --backend file --target <directory> --count N --journal <file> [--step-ms N]
//     MigrationsTestWorker --backend redis --target <url> --count N [--prefix P] [--ttl-ms N] [--step-ms N]
//                          [--only NAME]
//
// Prints one JSON result per line on stdout. Exits 0 when every migration ended completed or skipped,
// 1 when one failed, 3 when a run was refused or the backend failed.
import Foundation
import Logging
import Migrations
import MigrationsRedis
import RedisClient

#if canImport(Glibc)
    import Glibc
#endif

/// What each migration's `up` uses to count its executions.
struct WorkerApp: Sendable {
    let journal: String?
    let counter: RedisConnection?
    let counterPrefix: String

    func recordExecution(of name: String) async throws {
        if let counter {
            let time = try await counter.send(["TIME"]).array ?? []
            let milliseconds =
                (Int(time.first?.string ?? "0") ?? 0) * 1000 + (Int(time.last?.string ?? "0") ?? 0) / 1000
            _ = try await counter.pipeline([
                ["INCR", "\(counterPrefix)-count:\(name)"],
                ["RPUSH", "\(counterPrefix)-runs:\(name)", "\(getpid()) \(milliseconds)"],
            ])
        }
        if let journal {
            let descriptor = open(journal, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw POSIXError(.EIO) }
            defer { close(descriptor) }
            let bytes = Array((name + "\n").utf8)
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        }
    }
}

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: "--" + name), index + 1 < CommandLine.arguments.count
    else { return nil }
    return CommandLine.arguments[index + 1]
}

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(code)
}

guard let backend = option("backend"), let target = option("target"), let count = option("count").flatMap(Int.init)
else { fail("usage: MigrationsTestWorker --backend file|redis --target T --count N …", code: 2) }
let stepMilliseconds = option("step-ms").flatMap(Int.init) ?? 0
let prefix = option("prefix") ?? "migration"

var logger = Logger(label: "worker")
logger.logLevel = .warning

let stateStore: any MigrationStateStore
let leaseProvider: any MigrationLeaseProvider
let app: WorkerApp
do {
    switch backend {
    case "file":
        stateStore = try FileStateStore(directory: target)
        leaseProvider = try FileLeaseProvider(directory: target)
        app = WorkerApp(journal: option("journal"), counter: nil, counterPrefix: prefix)
    default:
        let configuration = try RedisConfiguration(url: target)
        let redis = try await RedisMigrationBackend.connect(
            configuration: configuration, keys: RedisMigrationKeys(prefix: prefix),
            leaseTimeToLive: .milliseconds(option("ttl-ms").flatMap(Int.init) ?? 30_000))
        stateStore = redis.stateStore
        leaseProvider = redis.leaseProvider
        app = WorkerApp(
            journal: option("journal"), counter: try await RedisConnection(configuration: configuration),
            counterPrefix: prefix)
    }
} catch {
    fail("backend: \(error)", code: 3)
}

var registry = MigrationRegistry<WorkerApp>()
for index in 0..<count {
    try registry.register(
        ClosureMigration<WorkerApp>(name: "race-\(index)") { context in
            try await context.app.recordExecution(of: context.migrationName)
            if stepMilliseconds > 0 { try await Task.sleep(for: .milliseconds(stepMilliseconds)) }
        })
}

let runner = MigrationRunner(registry: registry, stateStore: stateStore, leaseProvider: leaseProvider, logger: logger)
do {
    let results: [MigrationResult]
    if let only = option("only") {
        results = [try await runner.run(only, context: app)]
    } else {
        results = try await runner.runPending(context: app)
    }
    for result in results {
        print(String(decoding: try result.jsonData(), as: UTF8.self))
    }
    exit(results.contains(where: \.isFailure) ? 1 : 0)
} catch {
    fail("refused: \(error)", code: 3)
}
