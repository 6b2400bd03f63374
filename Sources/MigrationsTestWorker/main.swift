// A worker process for the file-store race test: runs N migrations named `race-0` … `race-<N-1>` whose
// `up` appends the migration's name to a shared journal file, so the test can count how often each one
// really ran, on the file store and file lease in one directory. (Redis races use `FaultDrillWorker`.)
//
//     MigrationsTestWorker --target <directory> --count N --journal <file> [--step-ms N]
//
// Prints one JSON result per line. Exits 0 when every migration ended completed or skipped, 1 when one
// failed, 3 when a run was refused or the store could not be opened.
import Foundation
import Logging
import Migrations

#if canImport(Glibc)
    import Glibc
#endif

/// The journal each migration's `up` appends its name to.
struct Journal: Sendable {
    let path: String

    func append(_ line: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
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

guard let target = option("target"), let count = option("count").flatMap(Int.init), let journal = option("journal")
else { fail("usage: MigrationsTestWorker --target DIR --count N --journal FILE [--step-ms N]", code: 2) }
let stepMilliseconds = option("step-ms").flatMap(Int.init) ?? 0

var logger = Logger(label: "worker")
logger.logLevel = .warning

var registry = MigrationRegistry<Journal>()
for index in 0..<count {
    try registry.register(
        ClosureMigration<Journal>(name: "race-\(index)") { context in
            try context.app.append(context.migrationName)
            if stepMilliseconds > 0 { try await Task.sleep(for: .milliseconds(stepMilliseconds)) }
        })
}

do {
    let runner = MigrationRunner(
        registry: registry,
        backend: try FileMigrationBackend(directory: target),
        logger: logger
    )
    let results = try await runner.runPending(context: Journal(path: journal))
    for result in results {
        print(String(decoding: try result.jsonData(), as: UTF8.self))
    }
    exit(results.contains(where: \.isFailure) ? 1 : 0)
} catch {
    fail("refused: \(error)", code: 3)
}
