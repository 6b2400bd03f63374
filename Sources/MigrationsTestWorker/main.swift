// A worker process for the race tests: runs N no-op-ish migrations whose `up` appends the migration's
// name to a shared journal file, so the tests can count how often each one really ran.
//
//     migrations-test-worker file <directory> <count> <journal> [step-milliseconds]
//
// Exits 0 when every migration ended completed or skipped, 1 otherwise.
import Foundation
import Logging
import Migrations

#if canImport(Glibc)
    import Glibc
#endif

struct Journal: Sendable {
    let path: String

    func append(_ line: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 5, arguments[1] == "file", let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: migrations-test-worker file <directory> <count> <journal> [step-ms]\n".utf8))
    exit(2)
}
let directory = arguments[2]
let journal = Journal(path: arguments[4])
let stepMilliseconds = arguments.count > 5 ? Int(arguments[5]) ?? 0 : 0

var registry = MigrationRegistry<Journal>()
for index in 0..<count {
    try registry.register(
        ClosureMigration<Journal>(name: "race-\(index)") { context in
            try context.app.append(context.migrationName)
            if stepMilliseconds > 0 { try await Task.sleep(for: .milliseconds(stepMilliseconds)) }
        })
}

var logger = Logger(label: "migrations-test-worker")
logger.logLevel = .warning
let runner = MigrationRunner(
    registry: registry,
    stateStore: try FileStateStore(directory: directory),
    leaseProvider: try FileLeaseProvider(directory: directory),
    logger: logger
)
let results = try await runner.runPending(context: journal)
let failed = results.filter(\.isFailure)
for result in failed { FileHandle.standardError.write(Data("\(result.name): \(result.error ?? "")\n".utf8)) }
print("ran \(results.filter { $0.status == .completed }.count) skipped \(results.filter { $0.status == .skipped }.count)")
exit(failed.isEmpty ? 0 : 1)
