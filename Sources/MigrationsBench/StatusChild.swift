import Foundation
import Migrations
import MigrationsRedis
import RedisClient

/// `migrations-bench child status`: what `migrations status --json` does, in a process of its own so its
/// peak resident memory can be measured.
///
/// ```
/// migrations-bench child status --url URL --prefix P --count N
/// ```
///
/// Registers the names the P2 key space was seeded with, reads their status with one
/// `RedisStateStore.states` call, encodes it as pretty JSON (discarded), and prints one JSON line with
/// how many it listed, the size of the JSON and its own peak RSS (`VmHWM`).
enum StatusChild {
    static func run(_ arguments: ChildArguments) async -> Int32 {
        do {
            let configuration = try RedisConfiguration(url: try arguments.string("url"))
            let names = BenchFixtures.names("2025-01-01-status", count: try arguments.integer("count", default: 0))
            let backend = try await RedisMigrationBackend.connect(
                configuration: configuration, keys: RedisMigrationKeys(prefix: try arguments.string("prefix")))
            let runner = BenchFixtures.runner(try BenchFixtures.registry(names), backend: backend)
            let statuses = try await runner.status(context: .silent)
            let json = try MigrationJSON.encoder(pretty: true).encode(statuses)
            let summary =
                "{\"listed\":\(statuses.count),\"jsonBytes\":\(json.count),\"vmhwmKB\":\(peakResidentKilobytes())}\n"
            FileHandle.standardOutput.write(Data(summary.utf8))
            return 0
        } catch {
            FileHandle.standardError.write(Data("status: \(error)\n".utf8))
            return 3
        }
    }

    /// `VmHWM` from `/proc/self/status`: the peak resident set size, in kilobytes.
    static func peakResidentKilobytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
