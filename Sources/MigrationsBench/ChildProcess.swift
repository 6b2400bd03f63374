import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process whose output goes to files, so a chatty child never blocks on a full pipe, and whose
/// exit is timestamped on the monotonic clock.
final class ChildProcess: Sendable {
    /// The process id.
    let pid: Int32
    /// When the process was launched.
    let launchedAt: ContinuousClock.Instant

    private let process: Mutex<Process>
    private let ending = Mutex(Ending())
    private let outputPath: String
    private let errorPath: String

    private struct Ending {
        var status: Int32?
        var at: ContinuousClock.Instant?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private init(process: Process, outputPath: String, errorPath: String) {
        self.pid = process.processIdentifier
        self.launchedAt = .now
        self.process = Mutex(process)
        self.outputPath = outputPath
        self.errorPath = errorPath
    }

    deinit {
        if ending.withLock({ $0.status == nil }) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
    }

    /// This executable, for launching it again in a child mode.
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Launches `executable` with `arguments`.
    ///
    /// - Throws: When the executable cannot be launched.
    static func launch(_ executable: String, _ arguments: [String]) throws -> ChildProcess {
        let base = NSTemporaryDirectory() + "migrations-bench-\(UUID().uuidString)"
        let outputPath = base + ".out"
        let errorPath = base + ".err"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        let box = EndingBox()
        process.terminationHandler = { finished in box.finish(status: finished.terminationStatus) }
        try process.run()
        let child = ChildProcess(process: process, outputPath: outputPath, errorPath: errorPath)
        box.attach(child)
        return child
    }

    /// Sends a signal to the process.
    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the process to exit, at most `limit`; past it the process is killed.
    ///
    /// - Returns: The exit status, or `nil` if the process had to be killed.
    func wait(limit: Duration) async -> Int32? {
        let exited = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.waitForExit()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            if !first { self.signal(SIGKILL) }
            group.cancelAll()
            await group.waitForAll()
            return first
        }
        return exited ? ending.withLock { $0.status } : nil
    }

    /// When the process exited, if it has.
    var exitedAt: ContinuousClock.Instant? {
        ending.withLock { $0.at }
    }

    /// Everything the process wrote to its standard output so far.
    var standardOutput: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Everything the process wrote to its standard error so far.
    var standardError: String {
        (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    }

    // MARK: - Exit bookkeeping

    private func waitForExit() async {
        await withCheckedContinuation { continuation in
            let done = ending.withLock { ending in
                if ending.status != nil { return true }
                ending.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    fileprivate func finish(status: Int32, at instant: ContinuousClock.Instant) {
        let waiters = ending.withLock { ending in
            ending.status = status
            ending.at = instant
            defer { ending.waiters = [] }
            return ending.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Hands the exit from the termination handler, which may run before `launch` returns, to the child.
private final class EndingBox: Sendable {
    private struct State {
        weak var child: ChildProcess?
        var early: (status: Int32, at: ContinuousClock.Instant)?
    }

    private let state = Mutex(State())

    func finish(status: Int32) {
        let now = ContinuousClock.now
        let child = state.withLock { state in
            if state.child == nil { state.early = (status, now) }
            return state.child
        }
        child?.finish(status: status, at: now)
    }

    func attach(_ child: ChildProcess) {
        let early = state.withLock { state in
            state.child = child
            return state.early
        }
        if let early { child.finish(status: early.status, at: early.at) }
    }
}
