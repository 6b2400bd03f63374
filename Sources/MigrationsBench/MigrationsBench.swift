import ArgumentParser
import Foundation
import MigrationsRedis
import RedisClient
import RedisTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `migrations-bench`: the figures of issue 6, each a ratio against a reference measured in the same run,
/// on this machine, against a `redis-server` the bench starts itself on a free loopback port.
///
/// ```
/// swift build -c release --scratch-path .build-bench --product migrations-bench
/// .build-bench/release/migrations-bench --markdown results.md
/// ```
///
/// `Benchmarks/run.sh` installs what the bench needs, builds it and runs it. The bench also has child
/// mode (`migrations-bench child status …`) that it launches itself; the fleet, takeover and redo-window
/// figures launch the package's `MigrationsTestWorker`, built beside it.
@main
struct MigrationsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrations-bench",
        abstract: "Measures the figures of BENCHMARKS.md, each against a reference in the same run.",
        discussion: """
            Starts its own redis-server on a free loopback port; needs redis-server and redis-benchmark in \
            PATH, the package's MigrationsTestWorker built beside this executable, and a Python with the \
            `redis` package for P3 (Benchmarks/run.sh sets all of this up).
            """)

    /// Runs `migrations-bench child …` (a process the bench launches itself) or the bench.
    ///
    /// The child modes are kept out of the bench's own command tree, so its usage shows only its options.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "child" {
            await ChildCommand.main(Array(arguments.dropFirst()))
        } else {
            await main(arguments)
        }
    }

    @Flag(help: "Smaller workloads and one repetition: a smoke test of the bench itself, not figures to publish.")
    var quick = false

    @Option(
        name: .customLong("only"),
        help: ArgumentHelp(
            "The groups to run: a comma-separated list of \(BenchOptions.allGroups.joined(separator: ", ")).",
            valueName: "groups"))
    var groups: String?

    @Option(help: "How many times each side of a comparison is measured; the median is reported.")
    var repetitions: Int?

    @Option(help: "The Python interpreter that has `redis` installed (the reference runner of P3).")
    var python = "python3"

    @Option(name: .customLong("reference-runner"), help: "The redis-py reference runner of P3.")
    var referenceRunner = "Benchmarks/reference_runner.py"

    @Option(
        name: .customLong("migrations-cli"),
        help: "The operator CLI (`migrations`), whose `status --json` the memory figure measures.")
    var migrationsCLI: String?

    @Option(name: .customLong("markdown"), help: "Where to write the results as a Markdown section.")
    var markdownPath: String?

    @Option(name: .customLong("json"), help: "Where to write the results as JSON.")
    var jsonPath: String?

    func validate() throws {
        if let repetitions, repetitions <= 0 { throw ValidationError("--repetitions needs a positive whole number") }
        if let unknown = requestedGroups.first(where: { !BenchOptions.allGroups.contains($0) }) {
            throw ValidationError(
                "unknown group '\(unknown)'; known: \(BenchOptions.allGroups.joined(separator: ", "))")
        }
    }

    private var requestedGroups: [String] {
        groups.map { $0.lowercased().split(separator: ",").map(String.init) } ?? BenchOptions.allGroups
    }

    func run() async throws {
        let options = BenchOptions(
            groups: BenchOptions.allGroups.filter(requestedGroups.contains), quick: quick,
            repetitions: repetitions ?? (quick ? 1 : 3), python: python, referenceRunner: referenceRunner,
            migrationsCLI: migrationsCLI, markdownPath: markdownPath, jsonPath: jsonPath)
        let command = (["migrations-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        var report = await Self.run(options, command: command)
        report.loadAtEnd = MachineDescription.currentLoad()
        print(report.markdown, terminator: "")
        do {
            if let path = options.markdownPath {
                try report.markdown.write(toFile: path, atomically: true, encoding: .utf8)
            }
            if let path = options.jsonPath { try report.json().write(to: URL(fileURLWithPath: path)) }
        } catch {
            FileHandle.standardError.write(Data("could not write the results: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if !report.failures.isEmpty { throw ExitCode(1) }
    }

    // MARK: - The run

    private static func run(_ options: BenchOptions, command: String) async -> BenchReport {
        let machine = await MachineDescription.current()
        var report = BenchReport(
            command: command, date: Date().formatted(.iso8601), machine: machine, figures: [], failures: [])
        let server: RedisServer
        do {
            server = try await RedisServer.start()
        } catch {
            report.failures.append("could not start redis-server: \(error)")
            return report
        }
        defer { server.stop() }
        let placements: [CPUPlacement?] = CPUPlacement.available.isEmpty ? [nil] : CPUPlacement.available
        if !CPUPlacement.available.isEmpty, let pid = server.pid {
            do { try await CPUPlacement.pin(pid, to: "0") } catch { report.failures.append("\(error)") }
        }
        let quick = options.quick
        let statusCount = quick ? 2_000 : 10_000

        func measure(_ group: String, _ title: String, _ body: () async throws -> [Figure]) async {
            guard options.runs(group) else { return }
            progress("\(group.uppercased()): \(title)…")
            do {
                let figures = try await body()
                for figure in figures {
                    progress(
                        "  \(figure.measure): \(figure.ours) vs \(figure.reference) → \(figure.ratio) "
                            + "(\(figure.verdict))"
                    )
                }
                report.figures += figures
            } catch {
                progress("  failed: \(error)")
                report.failures.append("\(group.uppercased()) \(title): \(error)")
            }
        }

        for placement in placements {
            let placed = placement.map { " (\($0.rawValue))" } ?? ""
            await measure("p1", "client round trips\(placed)") {
                try await pinned(placement) {
                    try await ClientRoundTripBenchmark(
                        server: server, requests: quick ? 5_000 : 30_000, repetitions: options.repetitions,
                        placement: placement
                    ).run()
                }
            }
        }
        for placement in placements {
            let placed = placement.map { " (\($0.rawValue))" } ?? ""
            await measure("p2", "status of many migrations\(placed)") {
                try await pinned(placement) {
                    try await StatusBenchmark(
                        server: server, migrationCount: statusCount, repetitions: options.repetitions,
                        placement: placement
                    ).run()
                }
            }
        }
        for placement in placements {
            let placed = placement.map { " (\($0.rawValue))" } ?? ""
            await measure("p3", "runPending under lease and Redis store\(placed)") {
                try await pinned(placement) {
                    try await RunPendingBenchmark(
                        server: server, migrationCount: quick ? 200 : 1_000, repetitions: options.repetitions,
                        python: options.python, referenceRunner: options.referenceRunner, placement: placement
                    ).run()
                }
            }
        }
        await measure("p4", "a fleet of processes") {
            try await FleetBenchmark(
                server: server, processCount: 8, migrationCount: quick ? 100 : 500, repetitions: options.repetitions
            ).run()
        }
        await measure("p5", "takeover after SIGKILL and SIGSTOP") {
            try await TakeoverBenchmark(
                server: server, timeToLive: .seconds(2),
                phases: quick ? [.milliseconds(300)] : [.milliseconds(250), .milliseconds(850), .milliseconds(1450)]
            ).run()
        }
        await measure("p6", "progress increments") {
            try await ProgressBenchmark(iterations: quick ? 20_000_000 : 200_000_000, repetitions: options.repetitions)
                .run()
        }
        await measure("p7", "checkpoints of a resumable migration") {
            try await CheckpointBenchmark(
                server: server, batches: quick ? 20_000 : 100_000, interval: .milliseconds(quick ? 250 : 1000)
            ).run()
        }
        await measure("p8", "operator control of a running migration") {
            try await ControlBenchmark(server: server, timeToLive: .milliseconds(1500)).run()
        }
        await measure("p9", "one sharded backfill across a fleet") {
            try await ShardBenchmark(
                server: server, processCount: 8, shards: quick ? 16 : 64, itemsPerShard: 1_000,
                repetitions: options.repetitions
            ).run()
        }
        await measure("memory", "peak RSS of status") {
            if !options.runs("p2") { try await seedStatusKeys(server, count: statusCount) }
            return try await MemoryBenchmark(
                server: server, migrationCount: statusCount, migrationsCLI: options.migrationsCLI
            ).run()
        }
        return report
    }

    /// Runs `body` pinned to the placement's client CPUs, or unpinned without a placement.
    private static func pinned(_ placement: CPUPlacement?, _ body: () async throws -> [Figure]) async throws -> [Figure]
    {
        guard let placement else { return try await body() }
        return try await placement.run(body)
    }

    private static func seedStatusKeys(_ server: RedisServer, count: Int) async throws {
        let connection = try await RedisConnection(configuration: server.configuration())
        defer { connection.close() }
        try await BenchFixtures.seedMixedStates(
            BenchFixtures.names("2025-01-01-status", count: count),
            keys: RedisMigrationKeys(prefix: StatusBenchmark.prefix), on: connection)
    }

    private static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
