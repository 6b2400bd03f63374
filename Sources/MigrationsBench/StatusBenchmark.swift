import Migrations
import MigrationsRedis
import RedisClient
import RedisTestSupport

/// P2: `MigrationRunner.status` over 10,000 migrations in a mix of states, against reading the same keys
/// one command at a time.
///
/// Status reads ten things per migration (`:completed`, `:result`, `:error`, `:lease` and its `PTTL`,
/// `:progress`, `:failure`, `:checkpoint`, `:fence`, `:control`) and decodes the JSON it finds. The
/// reference sends those same ten reads one at a time on the same kind of connection and decodes nothing,
/// so the ratio is what batching buys, net of decoding. A context row sends the same reads in one
/// pipeline and decodes nothing: the part of our time that is the wire and the server, not our decoding.
struct StatusBenchmark {
    let server: RedisServer
    let migrationCount: Int
    let repetitions: Int
    let placement: CPUPlacement?

    /// The prefix the seeded key space lives under; the memory figure reads it again.
    static let prefix = "p2"

    func run() async throws -> [Figure] {
        let keys = RedisMigrationKeys(prefix: Self.prefix)
        let names = BenchFixtures.names("2025-01-01-status", count: migrationCount)
        let backend = try await RedisMigrationBackend.connect(configuration: server.configuration(), keys: keys)
        defer { backend.close() }
        let tally = try await BenchFixtures.seedMixedStates(names, keys: keys, on: backend.connection)
        let placed = placement.map { ", \($0.rawValue)" } ?? ""
        let runner = BenchFixtures.runner(try BenchFixtures.registry(names), backend: backend)

        var oursTimes: [Double] = []
        var referenceTimes: [Double] = []
        var pipelineTimes: [Double] = []
        var roundTrips = 0
        var listed = 0
        for _ in 0..<repetitions {
            let before = backend.connection.roundTrips
            var statuses: [MigrationStatus] = []
            oursTimes.append(
                try await Measurement.time { statuses = try await runner.status(context: .silent) }.seconds)
            roundTrips = max(roundTrips, backend.connection.roundTrips - before)
            listed = statuses.count
            blackhole(statuses)
            referenceTimes.append(try await oneAtATime(names, keys: keys, on: backend.connection).seconds)
            pipelineTimes.append(try await pipelined(names, keys: keys, on: backend.connection).seconds)
        }
        guard listed == migrationCount else {
            throw BenchFailure("status listed \(listed) migrations, not \(migrationCount)")
        }
        let ours = Measurement.median(oursTimes)
        let reference = Measurement.median(referenceTimes)
        let pipelineOnly = Measurement.median(pipelineTimes)
        let reads = migrationCount * Self.readsPerMigration
        let mix =
            "\(tally.completed) completed, \(tally.failed) failed, \(tally.running) running, \(tally.pending) pending"
        return [
            Figure(
                "P2", "status of \(Format.number(Double(migrationCount))) migrations: round trips\(placed)",
                ours: "\(roundTrips)",
                reference: "\(reads) (\(Self.readsPerMigration) reads each, one at a time)",
                ratio: "\(roundTrips) of \(reads)", target: "≤ 2", met: roundTrips <= 2,
                note: "client round-trip counter; \(mix)"),
            Figure(
                "P2", "status of \(Format.number(Double(migrationCount))) migrations: time\(placed)",
                ours: Format.duration(ours), reference: "one read at a time: \(Format.duration(reference))",
                ratio: Format.ratio(reference / ours, decimals: 1) + " faster", target: "≥ 30× faster",
                met: reference / ours >= 30,
                note: "ours includes decoding every result, lease and progress JSON; median of \(repetitions) "
                    + "(ours \(Format.spread(oursTimes)))"),
            Figure(
                "P2",
                "context: the same \(Format.number(Double(reads))) reads in one pipeline, nothing decoded\(placed)",
                ours: Format.duration(pipelineOnly), reference: "status: \(Format.duration(ours))",
                ratio: "\(Int((pipelineOnly / ours * 100).rounded())) % of status", target: "—", met: nil,
                note: "the wire, the server and the reply copies; the rest of status is decoding and rows"),
        ]
    }

    /// How many reads status makes per migration: ``reads(_:keys:)``.
    static let readsPerMigration = 10

    /// The reads `RedisStateStore.states(for:)` makes for one migration.
    private static func reads(_ name: String, keys: RedisMigrationKeys) -> [[String]] {
        [
            ["GET", keys.completed(name)], ["GET", keys.result(name)], ["GET", keys.error(name)],
            ["GET", keys.lease(name)], ["PTTL", keys.lease(name)], ["GET", keys.progress(name)],
            ["GET", keys.failure(name)], ["GET", keys.checkpoint(name)], ["GET", keys.fence(name)],
            ["GET", keys.control(name)],
        ]
    }

    /// The reference: the same reads per migration, each its own round trip.
    private func oneAtATime(_ names: [String], keys: RedisMigrationKeys, on connection: RedisConnection)
        async throws -> Duration
    {
        try await Measurement.time {
            for name in names {
                for read in Self.reads(name, keys: keys) {
                    blackhole(try await connection.send(read))
                }
            }
        }
    }

    /// Context: the same reads in one pipeline, replies not decoded.
    private func pipelined(_ names: [String], keys: RedisMigrationKeys, on connection: RedisConnection)
        async throws -> Duration
    {
        try await Measurement.time {
            blackhole(try await connection.pipeline(names.flatMap { Self.reads($0, keys: keys) }))
        }
    }
}
