public import Foundation
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A built executable of this package (or any program) run as a real child process, started with
/// swift-subprocess and watched until it exits.
///
/// Output goes to files rather than pipes, so a chatty child can never block on a full pipe; read it
/// at any time with ``standardOutput`` and ``standardError``. Signals reach the child or, once it has
/// exited, nobody (``PinnedProcess``). A child still running when the last reference goes away is killed.
///
/// ```swift
/// let worker = try await ChildProcess.launch("MigrationsTestWorker", ["--url", server.url, "--count", "50"])
/// let outcome = try await worker.wait(timeout: .seconds(60))
/// #expect(outcome.status == 0, "\(outcome)")
/// ```
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: Int32
    /// When the child was started.
    public let launchedAt: ContinuousClock.Instant

    private let pinned: PinnedProcess
    private let exit: ExitRecord
    private let outputPath: String
    private let errorPath: String
    private let ownsOutputFiles: Bool

    /// What a finished process printed and how it exited.
    public struct Outcome: Sendable, CustomStringConvertible {
        /// The exit status, or the number of the signal that ended it.
        public let status: Int32
        /// Everything written to standard output.
        public let standardOutput: String
        /// Everything written to standard error.
        public let standardError: String

        /// Creates an outcome.
        ///
        /// - Parameters:
        ///   - status: The exit status, or the signal that ended the process.
        ///   - standardOutput: Everything written to standard output.
        ///   - standardError: Everything written to standard error.
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
        ///
        /// - Parameter description: What the child printed before it was killed.
        public init(description: String) {
            self.description = description
        }
    }

    private init(
        pid: Int32, pinned: PinnedProcess, exit: ExitRecord, outputPath: String, errorPath: String,
        ownsOutputFiles: Bool
    ) {
        self.pid = pid
        self.launchedAt = .now
        self.pinned = pinned
        self.exit = exit
        self.outputPath = outputPath
        self.errorPath = errorPath
        self.ownsOutputFiles = ownsOutputFiles
    }

    deinit {
        if isRunning { pinned.send(SIGKILL) }
        if ownsOutputFiles {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
    }

    /// The directory holding the package's built products: the running executable's own directory.
    public static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The running executable's path, for starting it again in another mode.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts an executable and returns once it runs.
    ///
    /// - Parameters:
    ///   - executable: A product name (looked up in ``productsDirectory``) or an absolute path.
    ///   - arguments: The arguments.
    ///   - environment: The whole environment of the child; `nil` inherits this process's.
    ///   - directory: The working directory; `nil` inherits this process's.
    ///   - logFile: A file that receives both output streams, appended to and kept; `nil` writes each
    ///     stream to a temporary file removed with the child.
    /// - Returns: The running child.
    /// - Throws: When the output files cannot be created or the executable cannot be started.
    public static func launch(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        directory: String? = nil,
        logFile: String? = nil
    ) async throws -> ChildProcess {
        let path = executable.hasPrefix("/") ? executable : productsDirectory.appending(path: executable).path
        let outputPath: String
        let errorPath: String
        if let logFile {
            (outputPath, errorPath) = (logFile, logFile)
        } else {
            let stem = FileManager.default.temporaryDirectory.appending(path: "child-\(UUID().uuidString.prefix(12))")
                .path
            (outputPath, errorPath) = (stem + ".out", stem + ".err")
        }
        let output = try FileDescriptor.open(
            FilePath(outputPath), .writeOnly, options: [.create, .append], permissions: [.ownerReadWrite])
        let error: FileDescriptor
        do {
            error = try FileDescriptor.open(
                FilePath(errorPath), .writeOnly, options: [.create, .append], permissions: [.ownerReadWrite])
        } catch {
            try? output.close()
            throw error
        }
        let exit = ExitRecord()
        let (pid, pinned) = try await Self.spawn(
            Configuration(
                executable: .path(FilePath(path)),
                arguments: Arguments(arguments),
                environment: environment.map(Self.environment) ?? .inherit,
                workingDirectory: directory.map { FilePath($0) }
            ),
            output: output, error: error, exit: exit)
        return ChildProcess(
            pid: pid, pinned: pinned, exit: exit, outputPath: outputPath, errorPath: errorPath,
            ownsOutputFiles: logFile == nil)
    }

    /// Runs an executable to completion, killing it after `timeout`.
    ///
    /// - Parameters:
    ///   - executable: A product name (looked up in ``productsDirectory``) or an absolute path.
    ///   - arguments: The arguments.
    ///   - environment: The whole environment of the child; `nil` inherits this process's.
    ///   - directory: The working directory; `nil` inherits this process's.
    ///   - timeout: How long the child may run.
    /// - Returns: How it exited and what it printed.
    /// - Throws: ``Timeout`` when the child had to be killed, or the error of ``launch(_:_:environment:directory:logFile:)``.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        directory: String? = nil,
        timeout: Duration = .seconds(120)
    ) async throws -> Outcome {
        try await launch(executable, arguments, environment: environment, directory: directory).wait(timeout: timeout)
    }

    /// Whether the child still runs (a stopped child counts as running).
    ///
    /// Asked of the kernel, not of the task that reaps the child, so that a synchronous caller polling
    /// it (``RedisTestSupport``'s `stop()`) never waits for a cooperative thread it may itself occupy.
    public var isRunning: Bool {
        guard exit.status == nil else { return false }
        guard pinned.hasExited else { return true }
        exit.noteEnded(at: .now)
        return false
    }

    /// The exit status (or the signal that ended the child), once it has exited.
    public var status: Int32? { exit.status }

    /// When the child's exit was first seen, once it has exited: by the task that reaps it or by an
    /// ``isRunning`` check, whichever came first. Measure how soon a child stopped with this rather than
    /// with the time a wait returned, which also counts the waiter's own scheduling.
    public var exitedAt: ContinuousClock.Instant? { exit.at }

    /// Sends a signal to the child, and to nobody once it has exited: the child is pinned by a pidfd
    /// (``PinnedProcess``), so a late signal never reaches a process that reused its pid.
    ///
    /// - Parameter number: The signal number, such as `SIGSTOP`.
    public func signal(_ number: Int32) {
        pinned.send(number)
    }

    /// Everything the child wrote to standard output so far.
    public var standardOutput: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Everything the child wrote to standard error so far.
    public var standardError: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits for the child to exit, suspended without blocking a thread, and kills it after `timeout`.
    ///
    /// - Parameter timeout: How long to wait.
    /// - Returns: How it exited and what it printed.
    /// - Throws: ``Timeout`` when the child had to be killed.
    public func wait(timeout: Duration = .seconds(120)) async throws -> Outcome {
        if await waitForExit(within: timeout) { return outcome() }
        signal(SIGKILL)
        signal(SIGCONT)
        _ = await waitForExit(within: .seconds(10))
        throw Timeout(description: "the child did not exit within \(timeout)\n\(outcome())")
    }

    /// Waits until the child has exited and its status is known, at most `limit`, without killing it.
    ///
    /// The wait is suspended, not polling: the task that reaps the child resumes it, and a timer resumes
    /// it at `limit`. (A suite starts hundreds of tests on two cores; waiters waking every few
    /// milliseconds delayed the lease renewals sharing those threads.)
    ///
    /// - Parameter limit: How long to wait.
    /// - Returns: Whether it exited in time.
    public func waitForExit(within limit: Duration) async -> Bool {
        if exit.status != nil { return true }
        let exit = self.exit
        let waiter = exit.newWaiter()
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await exit.wait(waiter) }
            group.addTask {
                try? await Task.sleep(for: limit)
                exit.expire(waiter)
                return false
            }
            _ = await group.next()
            group.cancelAll()
            await group.waitForAll()
            return exit.status != nil
        }
    }

    private func outcome() -> Outcome {
        Outcome(status: exit.status ?? -1, standardOutput: standardOutput, standardError: standardError)
    }

    // MARK: - Starting and watching

    /// Starts the child in a task of its own that runs until the child exits, and returns once it runs.
    ///
    /// swift-subprocess keeps a child only for the span of a closure; the task holds that span open for
    /// the child's whole life, records its exit in `exit`, and is detached, so that cancelling the caller
    /// never kills a child that a test still means to signal or wait for.
    private static func spawn(
        _ configuration: Configuration, output: FileDescriptor, error: FileDescriptor, exit: ExitRecord
    ) async throws -> (Int32, PinnedProcess) {
        try await withCheckedThrowingContinuation { started in
            Task.detached {
                var didStart = false
                do {
                    let result = try await Subprocess.run(
                        configuration,
                        input: .none,
                        output: .fileDescriptor(output, closeAfterSpawningProcess: true),
                        error: .fileDescriptor(error, closeAfterSpawningProcess: true)
                    ) { execution in
                        // Pinned before the body returns: the child cannot have been reaped yet.
                        let pid = execution.processIdentifier.value
                        didStart = true
                        started.resume(returning: (pid, PinnedProcess(pid: pid)))
                    }
                    exit.finish(result.terminationStatus)
                } catch {
                    if didStart {
                        exit.finish(.exited(-1))
                    } else {
                        started.resume(throwing: error)
                    }
                }
            }
        }
    }

    private static func environment(_ variables: [String: String]) -> Environment {
        .custom(
            Dictionary(
                uniqueKeysWithValues: variables.compactMap { name, value in
                    Environment.Key(rawValue: name).map { ($0, value) }
                }))
    }
}

/// How and when a child exited, written once by the task that watches it, and the waits suspended
/// until then.
private final class ExitRecord: Sendable {
    private struct State {
        var status: Int32?
        var at: ContinuousClock.Instant?
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
        /// Waiters whose time ran out before they were suspended.
        var expired: Set<Int> = []
    }

    private let state = Mutex(State())

    var status: Int32? { state.withLock { $0.status } }
    var at: ContinuousClock.Instant? { state.withLock { $0.at } }

    func finish(_ termination: TerminationStatus) {
        let status: Int32 =
            switch termination {
            case .exited(let code): code
            case .signaled(let signal): signal
            }
        let now = ContinuousClock.now
        let waiters = state.withLock { state in
            state.status = status
            state.at = state.at ?? now
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Records that the child was seen to have ended at `instant`, unless an earlier sighting was.
    func noteEnded(at instant: ContinuousClock.Instant) {
        state.withLock { state in
            if state.at == nil { state.at = instant }
        }
    }

    /// A new waiter's number, for ``wait(_:)`` and ``expire(_:)``.
    func newWaiter() -> Int {
        state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
    }

    /// Suspends until the child's status is known (`true`) or ``expire(_:)`` is called (`false`).
    func wait(_ waiter: Int) async -> Bool {
        await withCheckedContinuation { continuation in
            let immediate: Bool? = state.withLock { state in
                if state.status != nil { return true }
                if state.expired.remove(waiter) != nil { return false }
                state.waiters[waiter] = continuation
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Ends `waiter`'s wait with `false`, now or as soon as it starts; nothing once it has ended.
    func expire(_ waiter: Int) {
        let continuation = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.status != nil { return nil }
            if let continuation = state.waiters.removeValue(forKey: waiter) { return continuation }
            state.expired.insert(waiter)
            return nil
        }
        continuation?.resume(returning: false)
    }
}
