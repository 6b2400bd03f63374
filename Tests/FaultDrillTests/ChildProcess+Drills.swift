import Foundation
import MigrationsTestSupport
import RedisClient
import RedisTestSupport

extension ChildProcess {
    /// Launches the `MigrationsTestWorker` executable with `arguments`.
    static func drillWorker(_ arguments: [String]) async throws -> ChildProcess {
        try await launch("MigrationsTestWorker", arguments)
    }

    /// Launches a `MigrationsTestWorker` with `arguments`, and returns once it runs the `up` of `drill-0`
    /// under `prefix` (its execution is counted in `<prefix>-runs:drill-0`): the holder of a drill.
    static func drillHolder(_ arguments: [String], server: RedisServer, prefix: String) async throws -> ChildProcess {
        let holder = try await drillWorker(arguments)
        try await waitUntil("the holder runs the up of drill-0") {
            try await server.command("LLEN", "\(prefix)-runs:drill-0").int == 1
        }
        return holder
    }

    /// Launches `count` `MigrationsTestWorker` processes with the same `arguments`, one after another.
    static func drillWorkers(_ count: Int, _ arguments: [String]) async throws -> [ChildProcess] {
        var workers: [ChildProcess] = []
        for _ in 0..<count { workers.append(try await drillWorker(arguments)) }
        return workers
    }

    /// Waits at most `limit` for the worker to exit; past it, the worker is killed.
    ///
    /// - Returns: The exit status, or `nil` when the worker hung and had to be killed.
    func exitStatus(within limit: Duration) async -> Int32? {
        try? await wait(timeout: limit).status
    }

    /// The JSON objects the worker printed on standard output, one a line.
    var outputObjects: [[String: Any]] {
        standardOutput.split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }
}
