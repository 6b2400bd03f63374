import Foundation
import RedisClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What each migration's `up` uses to record its execution: a Redis counter, a local journal, or both.
struct WorkerApp: Sendable {
    /// The connection that counts executions in Redis, if recording there.
    let counter: RedisConnection?
    /// Whether each execution is counted in Redis (`--record redis`), not only journalled.
    let countsExecutions: Bool
    /// The journal file, if recording there.
    let journal: String?
    /// The prefix of the counting keys.
    let prefix: String

    /// Counts one execution of `name`: `INCR <prefix>-count:<name>` and `RPUSH <prefix>-runs:<name>
    /// "<pid> <server ms>"` in Redis, and `<name> <pid>` appended to the journal.
    func recordExecution(of name: String) async throws {
        if let counter, countsExecutions {
            let milliseconds = try await serverMilliseconds(counter)
            _ = try await counter.pipeline([
                ["INCR", "\(prefix)-count:\(name)"],
                ["RPUSH", "\(prefix)-runs:\(name)", "\(getpid()) \(milliseconds)"],
            ])
        }
        try appendToJournal("\(name) \(getpid())\n")
    }

    /// Pushes `"<pid> <server ms>"` to `<prefix>-ends:<name>`: when a step really returned.
    func recordEnd(of name: String) async throws {
        guard let counter, countsExecutions else { return }
        let milliseconds = try await serverMilliseconds(counter)
        _ = try await counter.send(["RPUSH", "\(prefix)-ends:\(name)", "\(getpid()) \(milliseconds)"])
    }

    /// Pushes `"<pid> <fencing token>"` to `<prefix>-shard-runs:<shard>`: an attempt of that shard started.
    func recordShardAttempt(_ shard: Int, fencingToken: UInt64) async throws {
        guard let counter else { return }
        _ = try await counter.send(["RPUSH", "\(prefix)-shard-runs:\(shard)", "\(getpid()) \(fencingToken)"])
    }

    /// Appends `<item> <pid>` for every item of a batch, in one `write`.
    func journal(_ items: [Int]) throws {
        try appendToJournal(items.map { "\($0) \(getpid())\n" }.joined())
    }

    /// Appends `text` to the journal in one `write(2)` with `O_APPEND`, so that lines of racing processes
    /// never interleave.
    private func appendToJournal(_ text: String) throws {
        guard let journal else { return }
        let descriptor = open(journal, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    private func serverMilliseconds(_ connection: RedisConnection) async throws -> Int {
        let time = try await connection.send(["TIME"]).array ?? []
        return (Int(time.first?.string ?? "0") ?? 0) * 1000 + (Int(time.last?.string ?? "0") ?? 0) / 1000
    }
}
