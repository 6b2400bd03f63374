import CProcessSignals

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process pinned by a Linux pidfd, so that a signal meant for it can never reach another
/// process that later reuses its pid.
///
/// `kill(pid, …)` after a child has exited and been reaped by Foundation's `Process` hits whatever runs
/// under that pid next; with a small `pid_max` (32768 is common) and a test process spawning hundreds
/// of children and threads, that can be a thread of the test process itself. A `SIGSTOP` or `SIGKILL`
/// sent that way froze or killed the whole test run. Open the pin right after starting the child; its
/// signals then go to that process or, once it is gone, to nobody.
///
/// ```swift
/// try process.run()
/// let pinned = PinnedProcess(pid: process.processIdentifier)
/// pinned.send(SIGSTOP)  // reaches this child or nobody
/// ```
///
/// On a kernel without pidfds (before Linux 5.3) it falls back to `kill(2)`.
public final class PinnedProcess: Sendable {
    /// The process id the pin was opened for.
    public let pid: Int32
    private let descriptor: Int32

    /// Pins the process `pid`; call it right after starting the child, before it can have been reaped.
    ///
    /// - Parameter pid: The child's process id.
    public init(pid: Int32) {
        self.pid = pid
        self.descriptor = c_process_pidfd_open(pid)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether the pinned process has ended (a zombie not yet reaped counts as ended).
    ///
    /// Read from the kernel on every call (a pidfd turns readable when its process ends), so it never
    /// waits for whoever reaps the child. Without pidfds it asks `kill(pid, 0)`, which sees a zombie
    /// as running until it is reaped.
    public var hasExited: Bool {
        if descriptor >= 0 {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            return poll(&entry, 1, 0) == 1
        }
        return kill(pid, 0) != 0
    }

    /// Sends `signal` to the pinned process.
    ///
    /// - Parameter signal: The signal number, such as `SIGSTOP`.
    /// - Returns: Whether the process still existed to receive it.
    @discardableResult
    public func send(_ signal: Int32) -> Bool {
        if descriptor >= 0 {
            return c_process_pidfd_send_signal(descriptor, signal) == 0
        }
        return kill(pid, signal) == 0
    }
}
