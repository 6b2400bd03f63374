import Foundation
import Migrations
import RedisClient
import RedisTestSupport

extension RedisServer {
    /// The server's clock in milliseconds (`TIME`).
    func milliseconds() async throws -> Int {
        let time = try await command("TIME").array ?? []
        return (Int(time.first?.string ?? "0") ?? 0) * 1000 + (Int(time.last?.string ?? "0") ?? 0) / 1000
    }

    /// The value at `key` as text, or `nil`.
    func string(_ key: String) async throws -> String? {
        try await command("GET", key).string
    }

    /// The keys matching `pattern` (`KEYS`; the drills' key spaces are small).
    func keys(_ pattern: String) async throws -> [String] {
        (try await command("KEYS", pattern).array ?? []).compactMap(\.string)
    }

    /// The stored result of a migration, decoded.
    func result(_ key: String) async throws -> MigrationResult? {
        try await command("GET", key).bytes.flatMap { try? MigrationResult.decode(from: Data($0)) }
    }

    /// Calls of one command since the server started, from `INFO commandstats`.
    func calls(of command: String) async throws -> Int {
        let text = try await self.command("INFO", "commandstats").string ?? ""
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_\(command):calls=") {
            let digits = line.dropFirst("cmdstat_\(command):calls=".count).prefix { $0.isNumber }
            return Int(digits) ?? 0
        }
        return 0
    }
}
