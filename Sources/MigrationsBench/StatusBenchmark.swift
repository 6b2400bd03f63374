import Migrations
import MigrationsRedis
import RedisClient
import RedisTestSupport

/// P2: `MigrationRunner.status` over 10,000 migrations in a mix of states, against reading the same keys
/// one command at a time.
///
/// Status reads six things per migration (`:completed`, `:result`, `:error`, `:lease` and its `PTTL`,
/// `:progress`) and decodes the JSON it finds. The reference sends those same six reads one at a time on
/// the same kind of connection and decodes nothing, so the ratio is what batching buys, net of decoding.
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
        }
        guard listed == migrationCount else {
            throw BenchFailure("status listed \(listed) migrations, not \(migrationCount)")
        }
        let ours = Measurement.median(oursTimes)
        let reference = Measurement.median(referenceTimes)
        let mix =
            "\(tally.completed) completed, \(tally.failed) failed, \(tally.running) running, \(tally.pending) pending"
        return [
            Figure(
                "P2", "status of \(Format.number(Double(migrationCount))) migrations: round trips\(placed)",
                ours: "\(roundTrips)", reference: "\(migrationCount * 6) (6 reads each, one at a time)",
                ratio: "\(roundTrips) of \(migrationCount * 6)", target: "≤ 2", met: roundTrips <= 2,
                note: "client round-trip counter; \(mix)"),
            Figure(
                "P2", "status of \(Format.number(Double(migrationCount))) migrations: time\(placed)",
                ours: Format.duration(ours), reference: "one read at a time: \(Format.duration(reference))",
                ratio: Format.ratio(reference / ours, decimals: 1) + " faster", target: "≥ 30× faster",
                met: reference / ours >= 30,
                note: "ours includes decoding every result, lease and progress JSON; median of \(repetitions)"),
        ]
    }

    /// The reference: the same six reads per migration, each its own round trip.
    private func oneAtATime(_ names: [String], keys: RedisMigrationKeys, on connection: RedisConnection)
        async throws -> Duration
    {
        try await Measurement.time {
            for name in names {
                blackhole(try await connection.send(["GET", keys.completed(name)]))
                blackhole(try await connection.send(["GET", keys.result(name)]))
                blackhole(try await connection.send(["GET", keys.error(name)]))
                blackhole(try await connection.send(["GET", keys.lease(name)]))
                blackhole(try await connection.send(["PTTL", keys.lease(name)]))
                blackhole(try await connection.send(["GET", keys.progress(name)]))
            }
        }
    }
}
