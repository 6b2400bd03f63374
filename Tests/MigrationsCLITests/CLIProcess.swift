import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A built executable of this package (`migrations`, `migrations-demo`) run as a real child process.
///
/// Output goes to files rather than pipes, so a chatty child can never block on a full pipe.
final class CLIProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; it is only read after launch (pid, isRunning) and after exit.
    private let process: Process
    private let outputPath: String
    private let errorPath: String

    /// What a finished process printed and how it exited.
    struct Outcome: Sendable, CustomStringConvertible {
        let status: Int32
        let standardOutput: String
        let standardError: String

        var description: String {
            "exit \(status)\n--- stdout\n\(standardOutput)\n--- stderr\n\(standardError)"
        }
    }

    private init(process: Process, outputPath: String, errorPath: String) {
        self.process = process
        self.outputPath = outputPath
        self.errorPath = errorPath
    }

    /// The directory holding the package's built products, next to the test bundle.
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The environment children get: this process's, without anything that would change the tools'
    /// behaviour behind the test's back, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["REDIS_URL", "NO_COLOR", "MIGRATIONS_DEMO_SLOW", "MIGRATIONS_DEMO_FAIL", "MIGRATIONS_DEMO_DIR"] {
            environment[name] = nil
        }
        environment["MIGRATIONS_DEMO_DELAY_MS"] = "0"
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Starts an executable and returns at once.
    static func launch(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        directory: String
    ) throws -> CLIProcess {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        process.environment = Self.environment(environment)
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        let stem = directory + "/.cli-\(UUID().uuidString.prefix(8))"
        let outputPath = stem + ".out"
        let errorPath = stem + ".err"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        return CLIProcess(process: process, outputPath: outputPath, errorPath: errorPath)
    }

    /// Runs an executable to completion, killing it after `timeout`.
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        directory: String,
        timeout: Duration = .seconds(60)
    ) async throws -> Outcome {
        let child = try launch(executable, arguments, environment: environment, directory: directory)
        return try await child.wait(timeout: timeout)
    }

    /// The child's process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether the child still runs.
    var isRunning: Bool { process.isRunning }

    /// Sends a signal.
    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the child to exit, killing it after `timeout`, and reads what it printed.
    func wait(timeout: Duration = .seconds(60)) async throws -> Outcome {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                signal(SIGKILL)
                process.waitUntilExit()
                throw CLITimeout(description: "the child did not exit within \(timeout)\n" + "\(read())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return read()
    }

    private func read() -> Outcome {
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let error = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return Outcome(
            status: process.isRunning ? -1 : process.terminationStatus, standardOutput: output, standardError: error)
    }
}

/// A child process that had to be killed.
struct CLITimeout: Error, CustomStringConvertible {
    let description: String
}
