import RedisClient

/// The server's per-command call counters from `INFO commandstats`, for counting what a workload sent.
struct CommandStats: Sendable {
    /// Calls per command, lowercased: `evalsha`, `get`, `set`…
    var calls: [String: Int]

    /// Resets the server's counters (`CONFIG RESETSTAT`).
    static func reset(on connection: RedisConnection) async throws {
        try await connection.send(["CONFIG", "RESETSTAT"])
    }

    /// Reads the counters.
    static func read(from connection: RedisConnection) async throws -> CommandStats {
        let text = try await connection.send(["INFO", "commandstats"]).string ?? ""
        var calls: [String: Int] = [:]
        // cmdstat_get:calls=5000,usec=1234,usec_per_call=0.25,rejected_calls=0,failed_calls=0
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            let parts = line.dropFirst("cmdstat_".count).split(separator: ":", maxSplits: 1)
            guard parts.count == 2,
                let field = parts[1].split(separator: ",").first(where: { $0.hasPrefix("calls=") }),
                let count = Int(field.dropFirst("calls=".count))
            else { continue }
            calls[String(parts[0]).lowercased()] = count
        }
        return CommandStats(calls: calls)
    }

    /// Calls of one command (`evalsha`, or a subcommand such as `client|list`).
    subscript(command: String) -> Int { calls[command] ?? 0 }

    /// All calls, less those of the bench's own bookkeeping (`INFO`, `CONFIG`).
    var workloadCalls: Int {
        calls.filter { !$0.key.hasPrefix("info") && !$0.key.hasPrefix("config") }.values.reduce(0, +)
    }

    /// `evalsha 2000, get 5000, pttl 1000`: the busiest commands first, bookkeeping left out.
    var summary: String {
        calls.filter { !$0.key.hasPrefix("info") && !$0.key.hasPrefix("config") }
            .sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }
            .map { "\($0.key) \($0.value)" }
            .joined(separator: ", ")
    }
}
