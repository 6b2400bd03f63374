import ArgumentParser
import Foundation
import Migrations

/// `migrations-bench child engine`: `runPending` of no-op migrations over the in-memory backend, again
/// and again, in a process of its own, so that a profiler sees the engine's own cost a migration and
/// nothing else (P3's context row measures the same once).
///
/// ```
/// perf record -g migrations-bench child engine --count 1000 --rounds 50
/// ```
///
/// Prints one JSON line: the migrations run and the median microseconds a migration.
struct EngineChild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine", abstract: "Runs runPending of no-op migrations in memory, for a profiler.")

    @Option(help: "How many no-op migrations each round registers.")
    var count = 1000

    @Option(help: "How many rounds, each over a new in-memory backend.")
    var rounds = 20

    func validate() throws {
        guard count > 0, rounds > 0 else { throw ValidationError("--count and --rounds must be positive") }
    }

    func run() async throws {
        let registry = try BenchFixtures.registry(BenchFixtures.names("noop", count: count))
        var perMigration: [Double] = []
        for _ in 0..<rounds {
            let seconds = try await BenchFixtures.timeInMemoryRunPending(registry)
            perMigration.append(seconds / Double(count) * 1e6)
        }
        let summary = "{\"migrations\":\(count * rounds),\"medianMicroseconds\":\(Measurement.median(perMigration))}\n"
        FileHandle.standardOutput.write(Data(summary.utf8))
    }
}
