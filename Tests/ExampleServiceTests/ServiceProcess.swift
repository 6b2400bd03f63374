import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An executable of this package launched as a real child process, its output going to a log file.
final class ServiceProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; this wrapper only reads it after `waitUntilExit` or
    // through thread-safe accessors (`processIdentifier`, `isRunning`).
    private let process: Process
    let logPath: String

    private init(process: Process, logPath: String) {
        self.process = process
        self.logPath = logPath
    }

    /// The directory holding the package's built products (next to the test bundle).
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static func launch(
        _ arguments: [String],
        executable: String = "example-service",
        environment: [String: String] = [:],
        directory: String,
        logName: String
    ) throws -> ServiceProcess {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            .filter { $0.key != "REDIS_URL" || environment["REDIS_URL"] != nil }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let logPath = "\(directory)/\(logName).log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return ServiceProcess(process: process, logPath: logPath)
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Waits for the process to exit, off the cooperative pool, and returns its exit status.
    func wait() async -> Int32 {
        let process = self.process
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
