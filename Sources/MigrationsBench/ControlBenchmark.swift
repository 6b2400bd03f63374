import Foundation
import Logging
import Migrations
import MigrationsRedis
import RedisClient
import RedisTestSupport
import Synchronization

/// P8: what operator control costs a running migration, and how soon it arrives.
///
/// 1. The same sleeping migration run for a short and a long time under a 1.5 s lease (a renewal every
///    0.5 s): the extra round trips of the longer run, counted by the client on the renewal connection and
///    on the other. Every renewal also brings back any pause or cancel request, so control costs no round
///    trip of its own when the other connection's count does not grow with the run's length.
/// 2. A pause requested mid-run: the time from the request to the paused result, against TTL/3, the
///    renewal interval that bounds it.
struct ControlBenchmark {
    let server: RedisServer
    let timeToLive: Duration

    func run() async throws -> [Figure] {
        let connection = try await RedisConnection(configuration: server.configuration())
        defer { connection.close() }
        let backend = try await CountedBackend.connect(server.configuration(), timeToLive: timeToLive)
        defer { backend.close() }

        // Loads the scripts first, so neither measured run pays for it.
        _ = try await roundTrips(running: .milliseconds(10), name: "p8-warm-up", backend: backend)
        let short = try await roundTrips(running: timeToLive, name: "p8-short", backend: backend)
        let long = try await roundTrips(running: timeToLive * 4, name: "p8-long", backend: backend)
        let extraRenewals = long.renewals - short.renewals
        let extraOther = long.other - short.other
        let latency = try await pauseLatency(backend: backend, connection: connection)
        let interval = timeToLive / 3
        return [
            Figure(
                "P8", "round trips per lease renewal, control requests delivered with it",
                ours: String(
                    format: "%.2f a renewal", Double(extraRenewals + extraOther) / Double(max(1, extraRenewals))),
                reference: "\(extraRenewals) more renewals in the longer run, 1 round trip each",
                ratio: "+\(extraOther) other round trips", target: "0 round trips beyond the renewals",
                met: extraRenewals > 0 && extraOther == 0,
                note: "TTL \(Format.duration(timeToLive.seconds)); runs of \(Format.duration(timeToLive.seconds)) "
                    + "and \(Format.duration((timeToLive * 4).seconds)), counted by the client on each connection "
                    + "(\(short.other) other round trips in each run); the renewal script returns the control key"),
            Figure(
                "P8", "a pause, from the request to the released lease",
                ours: Format.duration(latency.seconds),
                reference: "the renewal interval TTL/3 = \(Format.duration(interval.seconds))",
                ratio: Format.ratio(latency.seconds / interval.seconds), target: "≤ 1× (+ scheduling)",
                met: latency <= interval + .milliseconds(100),
                note: "the step sleeps 10 ms a batch and checks cancellation between batches"),
        ]
    }

    private func runner(_ migration: ClosureMigration<BenchApp>, _ backend: CountedBackend) throws
        -> MigrationRunner<BenchApp>
    {
        var logger = Logger(label: "p8")
        logger.logLevel = .critical
        return MigrationRunner(
            registry: try MigrationRegistry([migration]), backend: backend, logger: logger,
            configuration: .init(triggeredBy: "migrations-bench", progressInterval: .seconds(3600)))
    }

    /// A migration sleeping in 10 ms batches, until `limit` has passed or its task is cancelled.
    private func sleeper(_ name: String, for limit: Duration) -> ClosureMigration<BenchApp> {
        ClosureMigration<BenchApp>(name: name) { context in
            let end = ContinuousClock.now + limit
            while ContinuousClock.now < end {
                try await Task.sleep(for: .milliseconds(10))
                context.progress.increment()
            }
        }
    }

    /// The round trips on the renewal connection and on the other one while the sleeper runs for `duration`.
    private func roundTrips(running duration: Duration, name: String, backend: CountedBackend) async throws
        -> (renewals: Int, other: Int)
    {
        let renewals = backend.renewals.roundTrips
        let other = backend.commands.roundTrips
        let result = try await runner(sleeper(name, for: duration), backend).run(name, context: .silent)
        guard result.status == .completed else { throw BenchFailure("\(name) \(result.status): \(result.error ?? "")") }
        return (backend.renewals.roundTrips - renewals, backend.commands.roundTrips - other)
    }

    /// How long after a pause request the run returns paused (its lease released by then).
    private func pauseLatency(backend: CountedBackend, connection: RedisConnection) async throws -> Duration {
        let runner = try runner(sleeper("p8-pause", for: .seconds(60)), backend)
        let running = Task { try await runner.run("p8-pause", context: .silent) }
        let deadline = ContinuousClock.now + .seconds(30)
        while try await connection.send(["EXISTS", "p8:p8-pause:lease"]).int != 1 {
            guard ContinuousClock.now < deadline else { throw BenchFailure("the pause migration never started") }
            try await Task.sleep(for: .milliseconds(5))
        }
        // Lands at a random point of the renewal interval, as an operator's request would.
        try await Task.sleep(for: timeToLive / 2)
        let requested = ContinuousClock.now
        try await backend.stateStore.requestControl(
            MigrationControl(.pause, reason: "P8", by: "migrations-bench"), of: "p8-pause")
        let result = try await running.value
        let latency = ContinuousClock.now - requested
        guard result.status == .paused else { throw BenchFailure("the paused run \(result.status)") }
        return latency
    }
}

/// The Redis backend built from two connections the bench keeps, to read each one's round-trip counter.
private struct CountedBackend: MigrationBackend {
    let stateStore: RedisStateStore
    let leaseProvider: RedisLeaseProvider
    let commands: RedisConnection
    let renewals: RedisConnection
    var description: String { "Redis (P8)" }

    static func connect(_ configuration: RedisConfiguration, timeToLive: Duration) async throws -> CountedBackend {
        let keys = RedisMigrationKeys(prefix: "p8")
        let commands = try await RedisConnection(configuration: configuration)
        let renewals = try await RedisConnection(configuration: configuration)
        return CountedBackend(
            stateStore: RedisStateStore(connection: commands, keys: keys),
            leaseProvider: try RedisLeaseProvider(
                commands: commands, renewals: renewals, keys: keys, timeToLive: timeToLive),
            commands: commands, renewals: renewals)
    }

    func close() {
        commands.close()
        renewals.close()
    }
}
