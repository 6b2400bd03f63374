import Foundation

/// The `MigrationsTestWorker` executable, launched as a real child process.
final class WorkerProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; this wrapper only reads it after `waitUntilExit`.
    private let process: Process
    private let errorPipe = Pipe()
    private let outputPipe = Pipe()

    private init(process: Process) {
        self.process = process
    }

    /// The directory holding the package's built products (next to the test bundle).
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static func launch(_ arguments: [String], executable: String = "MigrationsTestWorker") throws -> WorkerProcess {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        let worker = WorkerProcess(process: process)
        process.standardError = worker.errorPipe
        process.standardOutput = worker.outputPipe
        try process.run()
        return worker
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits for the process to exit, off the cooperative pool, and returns its exit status.
    func wait() async throws -> Int32 {
        let process = self.process
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
    }

    var standardOutput: String {
        String(decoding: outputPipe.fileHandleForReading.availableData, as: UTF8.self)
    }

    var standardError: String {
        String(decoding: errorPipe.fileHandleForReading.availableData, as: UTF8.self)
    }
}
