import Foundation
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport

/// P3: `runPending` of 1,000 no-op migrations under the Redis lease and store, against the redis-py
/// reference runner (`Benchmarks/reference_runner.py`) doing the same with `redis.lock.Lock` on the same keys.
///
/// Round trips are counted by the client's own counter (``RedisConnection/roundTrips``) and checked
/// against `INFO commandstats` deltas: every `EVALSHA` is a round trip of its own (scripts cannot call it),
/// so `evalsha` calls plus the one pipelined state read must equal the counter. The reference counts its
/// own calls the same way (every redis-py call is one round trip, its pipeline one).
struct RunPendingBenchmark {
    let server: RedisServer
    let migrationCount: Int
    let repetitions: Int
    let python: String
    let referenceRunner: String
    let placement: CPUPlacement?

    func run() async throws -> [Figure] {
        let admin = try await RedisConnection(configuration: server.configuration())
        defer { admin.close() }
        var oursTimes: [Double] = []
        var referenceTimes: [Double] = []
        var startUpTimes: [Double] = []
        var referenceStartUpTimes: [Double] = []
        var engineTimes: [Double] = []
        var ours = RoundTripCount()
        var reference = RoundTripCount()
        var startUp = RoundTripCount()
        var referenceStartUp = RoundTripCount()
        let run = placement.map { "cpu\($0.clientCPUs)" } ?? "any"
        let engineRegistry = try BenchFixtures.registry(BenchFixtures.names("noop", count: migrationCount))
        for repetition in 0..<repetitions {
            let prefix = "p3-ours-\(run)-\(repetition)"
            let (time, count) = try await runOurs(prefix: prefix, admin: admin)
            oursTimes.append(time)
            ours = count
            let (startUpTime, startUpCount) = try await runOursAllCompleted(prefix: prefix, admin: admin)
            startUpTimes.append(startUpTime)
            startUp = startUpCount
            let referencePrefix = "p3-ref-\(run)-\(repetition)"
            let (referenceTime, referenceCount) = try await runReference(prefix: referencePrefix, admin: admin)
            referenceTimes.append(referenceTime)
            reference = referenceCount
            let (referenceStartUpTime, referenceStartUpCount) = try await runReference(
                prefix: referencePrefix, admin: admin, expectingRuns: 0)
            referenceStartUpTimes.append(referenceStartUpTime)
            referenceStartUp = referenceStartUpCount
            engineTimes.append(try await BenchFixtures.timeInMemoryRunPending(engineRegistry))
        }
        let startUpMedian = Measurement.median(startUpTimes)
        let referenceStartUpMedian = Measurement.median(referenceStartUpTimes)
        let oursMedian = Measurement.median(oursTimes)
        let referenceMedian = Measurement.median(referenceTimes)
        let engineMedian = Measurement.median(engineTimes)
        let perMigration = Double(ours.roundTrips) / Double(migrationCount)
        let referencePerMigration = Double(reference.roundTrips) / Double(migrationCount)
        let placed = placement.map { ", \($0.rawValue)" } ?? ""
        return [
            Figure(
                "P3",
                "runPending of \(Format.number(Double(migrationCount))) no-op migrations: round trips each\(placed)",
                ours: String(format: "%.3f", perMigration),
                reference: String(format: "redis-py Lock runner: %.3f", referencePerMigration),
                ratio: String(format: "%.3f", perMigration), target: "≤ 1.2", met: perMigration <= 1.2,
                note:
                    "client counter \(ours.roundTrips) for \(migrationCount) "
                    + "(INFO commandstats, script calls included: \(ours.stats)). "
                    + "Reference (\(reference.description)): \(reference.roundTrips) calls (\(reference.stats))"
            ),
            Figure(
                "P3", "runPending of \(Format.number(Double(migrationCount))) no-op migrations: time\(placed)",
                ours: Format.duration(oursMedian)
                    + " (\(Format.number(oursMedian / Double(migrationCount) * 1e6)) µs each)",
                reference:
                    "redis-py Lock runner: \(Format.duration(referenceMedian)) "
                    + "(\(Format.number(referenceMedian / Double(migrationCount) * 1e6)) µs each)",
                ratio: Format.ratio(referenceMedian / oursMedian, decimals: 1) + " faster",
                target: "≥ 4× faster", met: referenceMedian / oursMedian >= 4,
                note: "median of \(repetitions); a fresh key prefix each run (ours \(Format.spread(oursTimes)), "
                    + "redis-py \(Format.spread(referenceTimes)))"),
            Figure(
                "P3",
                "start-up with \(Format.number(Double(migrationCount))) migrations all completed: round trips\(placed)",
                ours: "\(startUp.roundTrips)", reference: "redis-py Lock runner: \(referenceStartUp.roundTrips)",
                ratio: "\(startUp.roundTrips)", target: "1", met: startUp.roundTrips == 1,
                note: "a second runPending over the completed migrations, on a new connection (INFO commandstats: "
                    + "\(startUp.stats)); reference: \(referenceStartUp.stats)"),
            Figure(
                "P3", "start-up with \(Format.number(Double(migrationCount))) migrations all completed: time\(placed)",
                ours: Format.duration(startUpMedian),
                reference: "redis-py Lock runner: \(Format.duration(referenceStartUpMedian))",
                ratio: Format.ratio(referenceStartUpMedian / startUpMedian, decimals: 1) + " faster",
                target: "≥ 10× faster", met: referenceStartUpMedian / startUpMedian >= 10,
                note: "median of \(repetitions); the reference reads each :completed key with GET"),
            Figure(
                "P3",
                "context: the same runPending in memory (the engine without Redis)\(placed)",
                ours: Format.duration(engineMedian)
                    + " (\(Format.number(engineMedian / Double(migrationCount) * 1e6)) µs each)",
                reference: "the Redis run: \(Format.number(oursMedian / Double(migrationCount) * 1e6)) µs each",
                ratio: "\(Int((engineMedian / oursMedian * 100).rounded())) % of it", target: "—", met: nil,
                note: "no target; InMemoryMigrationBackend, same registry and runner configuration: what no "
                    + "round-trip saving removes (\(Format.spread(engineTimes)))"),
        ]
    }

    // MARK: - Ours

    private func runOurs(prefix: String, admin: RedisConnection) async throws -> (Double, RoundTripCount) {
        let run = try await measureRunPending(prefix: prefix, admin: admin)
        guard run.results.count == migrationCount, run.results.allSatisfy({ $0.status == .completed }) else {
            throw BenchFailure(
                "runPending completed \(run.results.filter { $0.status == .completed }.count) of \(migrationCount)")
        }
        // Cross-check: scripts are the only top-level commands besides the MGET of the completion markers
        // and the one pipelined state read, which is a MULTI of MGET and EXISTS for each 100 migrations, so
        // as many EXECs as MGETs (a NOSCRIPT fallback is a refused EVALSHA, counted as a call, then an EVAL;
        // the counter counts both). No lease is held before the run, so the state read has no second trip.
        let stateReads = run.stats["exec"] > 0 ? 1 : 0
        let serverSide =
            run.stats["evalsha"] + run.stats["eval"] + run.stats["mget"] - run.stats["exec"] + stateReads
        guard serverSide == run.roundTrips else {
            throw BenchFailure(
                "the client counted \(run.roundTrips) round trips, the server's statistics \(serverSide)")
        }
        return (run.seconds, RoundTripCount(roundTrips: run.roundTrips, stats: run.stats.summary, description: ""))
    }

    /// The start-up of a service whose migrations have all completed: `runPending` again, on a new
    /// connection, which must run nothing.
    private func runOursAllCompleted(
        prefix: String, admin: RedisConnection
    ) async throws -> (Double, RoundTripCount) {
        let run = try await measureRunPending(prefix: prefix, admin: admin)
        guard run.results.isEmpty else {
            throw BenchFailure("the start-up over completed migrations ran \(run.results.count) of them")
        }
        guard run.stats["mget"] == run.roundTrips else {
            throw BenchFailure("the client counted \(run.roundTrips) round trips, the server \(run.stats.summary)")
        }
        return (run.seconds, RoundTripCount(roundTrips: run.roundTrips, stats: run.stats.summary, description: ""))
    }

    /// One `runPending` of the fixture's migrations under `prefix`, on a new connection: its time, its
    /// results, the client's round trips and the server's command statistics of that run alone.
    private func measureRunPending(
        prefix: String, admin: RedisConnection
    ) async throws -> (seconds: Double, results: [MigrationResult], roundTrips: Int, stats: CommandStats) {
        let names = BenchFixtures.names("noop", count: migrationCount)
        let backend = try await RedisMigrationBackend.connect(
            configuration: server.configuration(), keys: RedisMigrationKeys(prefix: prefix))
        defer { backend.close() }
        let runner = BenchFixtures.runner(try BenchFixtures.registry(names), backend: backend)
        try await CommandStats.reset(on: admin)
        let before = backend.connection.roundTrips
        var results: [MigrationResult] = []
        let elapsed = try await Measurement.time { results = try await runner.runPending(context: .silent) }
        let roundTrips = backend.connection.roundTrips - before
        let stats = try await CommandStats.read(from: admin)
        return (elapsed.seconds, results, roundTrips, stats)
    }

    // MARK: - The reference

    private func runReference(
        prefix: String, admin: RedisConnection, expectingRuns: Int? = nil
    ) async throws -> (Double, RoundTripCount) {
        let expected = expectingRuns ?? migrationCount
        try await CommandStats.reset(on: admin)
        let child = try await ChildProcess.launch(
            "/usr/bin/env",
            (placement?.childPrefix ?? []) + [
                python, referenceRunner, "--url", server.url, "--prefix", prefix, "--count", String(migrationCount),
                "--ttl-ms", "30000",
            ])
        guard let status = (try? await child.wait(timeout: .seconds(600)))?.status, status == 0 else {
            throw BenchFailure("the reference runner failed: \(child.standardError)")
        }
        let stats = try await CommandStats.read(from: admin)
        let line = child.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let elapsed = object["elapsed_s"] as? Double, let ran = object["ran"] as? Int, ran == expected
        else {
            throw BenchFailure("unexpected output from the reference runner: \(line)")
        }
        let roundTrips = object["round_trips"] as? Int ?? 0
        let description =
            "redis-py \(object["redis_py"] as? String ?? "?"), \(object["parser"] as? String ?? "?") parser"
        return (elapsed, RoundTripCount(roundTrips: roundTrips, stats: stats.summary, description: description))
    }
}

/// Round trips of one workload, as counted from the server's statistics and by the client.
private struct RoundTripCount {
    var roundTrips = 0
    var stats = ""
    var description = ""
}
