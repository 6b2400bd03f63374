import Foundation
import Migrations

/// What can be said about a lease holder's process from this machine.
enum ProcessLiveness {
    /// Whether the holder is known to be gone: its host is this host and its pid is not running.
    /// A holder on another host is never known to be gone from here.
    static func isGone(_ holder: LeaseHolder) -> Bool {
        guard holder.host == ProcessInfo.processInfo.hostName else { return false }
        return !(kill(holder.pid, 0) == 0 || errno == EPERM)
    }

    /// `pid 4242 is alive on this host` or `pid 4242 is not running on this host` when the holder's host
    /// is this host; `nil` otherwise, since a process elsewhere cannot be checked.
    static func note(for holder: LeaseHolder) -> String? {
        guard holder.host == ProcessInfo.processInfo.hostName else { return nil }
        let alive = kill(holder.pid, 0) == 0 || errno == EPERM
        return "pid \(holder.pid) is \(alive ? "alive" : "not running") on this host"
    }
}
