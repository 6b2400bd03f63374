import ArgumentParser
import Foundation
import Migrations
import MigrationsRedis
import RedisClient

/// `migrations-bench child`: the measurement processes the bench launches itself.
struct ChildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrations-bench child", abstract: "A process the bench launches itself.",
        subcommands: [StatusChild.self, EngineChild.self])
}

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
struct StatusChild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Reads and encodes the status of the seeded migrations, then its peak RSS.")

    @Option(help: "The Redis URL.")
    var url: String

    @Option(help: "The key prefix the key space was seeded under.")
    var prefix: String

    @Option(help: "How many seeded migrations to register.")
    var count = 0

    func run() async throws {
        do {
            let configuration = try RedisConfiguration(url: url)
            let names = BenchFixtures.names("2025-01-01-status", count: count)
            let backend = try await RedisMigrationBackend.connect(
                configuration: configuration, keys: RedisMigrationKeys(prefix: prefix))
            let runner = BenchFixtures.runner(try BenchFixtures.registry(names), backend: backend)
            let statuses = try await runner.status(context: .silent)
            let json = try MigrationJSON.encoder(pretty: true).encode(statuses)
            let summary =
                "{\"listed\":\(statuses.count),\"jsonBytes\":\(json.count),\"vmhwmKB\":\(Self.peakResidentKilobytes())}\n"
            FileHandle.standardOutput.write(Data(summary.utf8))
        } catch {
            FileHandle.standardError.write(Data("status: \(error)\n".utf8))
            throw ExitCode(3)
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
