public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

/// A built executable of this package (or any program) run as a real child process in a test.
///
/// Output goes to files rather than pipes, so a chatty child can never block on a full pipe; read it
/// at any time with ``standardOutput`` and ``standardError``. A child still running when the last
/// reference goes away is killed.
///
/// ```swift
/// let worker = try ChildProcess.launch("FaultDrillWorker", ["--url", server.url, "--count", "50"])
/// let outcome = try await worker.wait(timeout: .seconds(60))
/// #expect(outcome.status == 0, "\(outcome)")
/// ```
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable. It is configured before `run()` and afterwards only read
    // through its thread-safe accessors (`processIdentifier`, `isRunning`, `terminationStatus`).
    private let process: Process
    private let pinned: PinnedProcess
    private let outputPath: String
    private let errorPath: String

    /// What a finished process printed and how it exited.
    public struct Outcome: Sendable, CustomStringConvertible {
        /// The exit status (or the signal that ended it).
        public let status: Int32
        /// Everything written to standard output.
        public let standardOutput: String
        /// Everything written to standard error.
        public let standardError: String

        /// Creates an outcome.
        public init(status: Int32, standardOutput: String, standardError: String) {
            self.status = status
            self.standardOutput = standardOutput
            self.standardError = standardError
        }

        /// The status and both outputs, for failure messages.
        public var description: String {
            "exit \(status)\n--- stdout\n\(standardOutput)\n--- stderr\n\(standardError)"
        }
    }

    /// A child that did not exit in time and was killed.
    public struct Timeout: Error, CustomStringConvertible {
        /// What the child printed before it was killed.
        public let description: String

        /// Creates a timeout error.
        public init(description: String) {
            self.description = description
        }
    }

    private init(process: Process, outputPath: String, errorPath: String) {
        self.process = process
        self.pinned = PinnedProcess(pid: process.processIdentifier)
        self.outputPath = outputPath
        self.errorPath = errorPath
    }

    /// The directory holding the package's built products: the test bundle's own directory.
    public static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// Starts an executable and returns at once.
    ///
    /// - Parameters:
    ///   - executable: A product name (looked up in ``productsDirectory``) or an absolute path.
    ///   - arguments: The arguments.
    ///   - environment: The whole environment of the child; `nil` inherits this process's.
    ///   - directory: The working directory; `nil` inherits this process's.
    public static func launch(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        directory: String? = nil
    ) throws -> ChildProcess {
        let process = Process()
        process.executableURL =
            executable.hasPrefix("/")
            ? URL(fileURLWithPath: executable) : productsDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        let stem = FileManager.default.temporaryDirectory
            .appendingPathComponent("child-\(UUID().uuidString.prefix(12))").path
        let outputPath = stem + ".out"
        let errorPath = stem + ".err"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
            FileManager.default.createFile(atPath: errorPath, contents: nil),
            let output = FileHandle(forWritingAtPath: outputPath),
            let error = FileHandle(forWritingAtPath: errorPath)
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: stem])
        }
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return ChildProcess(process: process, outputPath: outputPath, errorPath: errorPath)
    }

    /// Runs an executable to completion, killing it after `timeout`.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        directory: String? = nil,
        timeout: Duration = .seconds(120)
    ) async throws -> Outcome {
        try await launch(executable, arguments, environment: environment, directory: directory).wait(timeout: timeout)
    }

    /// The child's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Whether the child still runs.
    public var isRunning: Bool { process.isRunning }

    /// Sends a signal to the child, and to nobody once it has exited: the child is pinned by a pidfd
    /// (``PinnedProcess``), so a late signal never reaches a process that reused its pid.
    public func signal(_ number: Int32) {
        pinned.send(number)
    }

    /// Everything the child wrote to standard output so far.
    public var standardOutput: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Everything the child wrote to standard error so far.
    public var standardError: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits for the child to exit, polling without blocking a thread, and kills it after `timeout`.
    ///
    /// - Throws: ``Timeout`` when the child had to be killed.
    public func wait(timeout: Duration = .seconds(120)) async throws -> Outcome {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                signal(SIGKILL)
                process.waitUntilExit()
                throw Timeout(description: "the child did not exit within \(timeout)\n\(outcome())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return outcome()
    }

    private func outcome() -> Outcome {
        Outcome(
            status: process.isRunning ? -1 : process.terminationStatus,
            standardOutput: standardOutput,
            standardError: standardError)
    }

    deinit {
        if process.isRunning { pinned.send(SIGKILL) }
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
    }
}
