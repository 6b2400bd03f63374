import Foundation
import Logging
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// P7: resumable migrations. What a checkpoint save costs in a batch loop, how often the runner really
/// writes, and how much work a `kill -9` makes run again.
///
/// 1. A loop of `batches` batches inside a real migration on the Redis backend, calling
///    `saveCheckpoint` and `progress.increment` every batch, against the same loop with `increment` only:
///    the difference per batch is the cost of a save when no write is due.
/// 2. The same saving loop stretched to a few seconds (each batch spins a few microseconds): the
///    checkpoint writes counted by Redis (`INFO commandstats`, `evalsha`) against the intervals elapsed.
/// 3. A backfill in a child process (`MigrationsTestWorker --backfill`), killed with `SIGKILL` mid-way: the items it
///    journaled after the last written checkpoint (what the next attempt redoes) against the items it
///    processes in one checkpoint interval.
struct CheckpointBenchmark {
    let server: RedisServer
    let batches: Int
    let interval: Duration

    func run() async throws -> [Figure] {
        let connection = try await RedisConnection(configuration: server.configuration())
        defer { connection.close() }
        let backend = try await RedisMigrationBackend.connect(
            configuration: server.configuration(), keys: RedisMigrationKeys(prefix: "p7"))
        defer { backend.close() }

        var bare: [Double] = []
        var saving: [Double] = []
        for round in 0..<3 {
            bare.append(try await loop(saving: false, name: "p7-bare-\(round)", backend: backend))
            saving.append(try await loop(saving: true, name: "p7-save-\(round)", backend: backend))
        }
        let bareNanoseconds = Measurement.median(bare) / Double(batches) * 1e9
        let savingNanoseconds = Measurement.median(saving) / Double(batches) * 1e9
        let perSave = savingNanoseconds - bareNanoseconds

        let writes = try await writesInStretchedLoop(backend: backend, connection: connection)
        let redo = try await redoWindowAfterKill()
        return [
            Figure(
                "P7", "checkpoint save per batch, no write due (\(Format.number(Double(batches))) batches)",
                ours: String(format: "%.0f ns a batch", savingNanoseconds),
                reference: String(format: "the same loop without saving %.0f ns a batch", bareNanoseconds),
                ratio: String(format: "+%.0f ns", perSave), target: "≤ 1 µs", met: perSave <= 1_000,
                note: "median of 3; a save keeps the cursor under a lock, nothing is encoded or sent"),
            Figure(
                "P7", "checkpoint writes while saving every batch for \(Format.duration(writes.elapsed))",
                ours: "\(writes.writes) writes, \(writes.scripts) EVALSHA",
                reference: "\(writes.intervals) intervals of \(Format.duration(interval.seconds))",
                ratio: String(
                    format: "%.2f writes an interval", Double(writes.writes) / Double(max(1, writes.intervals))),
                target: "≤ 1 an interval (+ the last), 1 round trip each",
                met: writes.writes <= writes.intervals + 1 && writes.scripts == writes.writes,
                note: "\(Format.number(Double(writes.saves))) saves; writes counted by the server"),
            Figure(
                "P7", "redo window after kill -9 mid-backfill",
                ours: "\(redo.redone) items redone",
                reference: String(format: "%.0f items processed in one interval", redo.perInterval),
                ratio: Format.ratio(Double(redo.redone) / max(1, redo.perInterval)),
                target: "≤ 1× (items redone ≤ items per interval)",
                met: Double(redo.redone) <= redo.perInterval + Double(redo.batch),
                note: "killed at \(redo.killedAt) items, checkpoint at \(redo.checkpoint); batches of \(redo.batch)"),
        ]
    }

    // MARK: - The loops

    /// Seconds one tight loop of `batches` batches takes inside a migration.
    private func loop(saving: Bool, name: String, backend: RedisMigrationBackend) async throws -> Double {
        let batches = self.batches
        let elapsed = Mutex<Duration>(.zero)
        var registry = MigrationRegistry<BenchApp>()
        try registry.register(
            ClosureMigration<BenchApp>(name: name) { context in
                let clock = ContinuousClock()
                let start = clock.now
                for batch in 0..<batches {
                    context.progress.increment(by: 100)
                    if saving { context.saveCheckpoint(batch) }
                    blackhole(batch)
                }
                elapsed.withLock { $0 = clock.now - start }
            })
        let result = try await runner(registry, backend).run(name, context: .silent)
        guard result.status == .completed else { throw BenchFailure("the loop migration \(result.status)") }
        return elapsed.withLock { $0 }.seconds
    }

    private func runner(_ registry: MigrationRegistry<BenchApp>, _ backend: RedisMigrationBackend)
        -> MigrationRunner<BenchApp>
    {
        var logger = Logger(label: "p7")
        logger.logLevel = .critical
        return MigrationRunner(
            registry: registry, backend: backend, logger: logger,
            configuration: .init(triggeredBy: "migrations-bench", checkpointInterval: interval))
    }

    /// Saves every batch for about 3 s (each batch spins 5 µs), then fails so that the last save is
    /// written too; counts the checkpoint scripts Redis ran.
    private func writesInStretchedLoop(backend: RedisMigrationBackend, connection: RedisConnection) async throws
        -> (writes: Int, scripts: Int, saves: Int, intervals: Int, elapsed: Double)
    {
        let saves = Mutex(0)
        let elapsed = Mutex<Duration>(.zero)
        var registry = MigrationRegistry<BenchApp>()
        try registry.register(
            ClosureMigration<BenchApp>(name: "p7-stretched") { context in
                let clock = ContinuousClock()
                let start = clock.now
                var batch = 0
                while clock.now - start < .seconds(3) {
                    let spin = clock.now + .microseconds(5)
                    while clock.now < spin {}
                    batch += 1
                    context.progress.increment(by: 100)
                    context.saveCheckpoint(batch)
                    if batch % 1_000 == 0 { await Task.yield() }
                }
                saves.withLock { $0 = batch }
                elapsed.withLock { $0 = clock.now - start }
                throw BenchFailure("stop here, so the last position is written as well")
            })
        let before = try await evalshaCalls(connection)
        let result = try await runner(registry, backend).run("p7-stretched", context: .silent)
        let after = try await evalshaCalls(connection)
        guard result.status == .failed else { throw BenchFailure("the stretched loop \(result.status)") }
        // The failure record is one more script (the fenced `fail`); the acquire is one before the loop.
        let scripts = after - before - 2
        let stored = try await connection.send(["GET", "p7:p7-stretched:checkpoint"]).bytes
        let checkpoint = try stored.map { try MigrationCheckpoint.decode(from: Data($0)) }
        guard checkpoint?.completed == result.recordsProcessed else {
            throw BenchFailure("the last position was not written")
        }
        let seconds = elapsed.withLock { $0 }.seconds
        let intervals = Int((seconds / interval.seconds).rounded(.up))
        return (scripts, scripts, saves.withLock { $0 }, intervals, seconds)
    }

    private func evalshaCalls(_ connection: RedisConnection) async throws -> Int {
        let info = try await connection.send(["INFO", "commandstats"]).string ?? ""
        guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_evalsha:") }),
            let calls = line.split(separator: ",").first?.split(separator: "=").last.flatMap({ Int($0) })
        else { return 0 }
        return calls
    }

    // MARK: - The redo window

    private func redoWindowAfterKill() async throws
        -> (redone: Int, perInterval: Double, killedAt: Int, checkpoint: Int, batch: Int)
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("p7-\(getpid())").path
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = directory + "/journal"
        let batch = 100
        // The test worker's backfill: a journal line per item, 200 µs of CPU a batch.
        let child = try await ChildProcess.launch(
            BenchFixtures.testWorker,
            [
                "--url", server.url, "--prefix", "p7-kill", "--record", "journal", "--journal", journal,
                "--backfill", "10000000", "--batch", String(batch), "--batch-us", "200",
                "--checkpoint-ms", String(Int(interval.seconds * 1000)),
            ])
        let connection = try await RedisConnection(configuration: server.configuration())
        defer { connection.close() }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        var started: ContinuousClock.Instant?
        var firstCount = 0
        // Let it run for three intervals after its first checkpoint, measuring its rate meanwhile.
        while clock.now < deadline {
            let stored = try await connection.send(["GET", "p7-kill:backfill:checkpoint"]).bytes
            if stored != nil, started == nil {
                started = clock.now
                firstCount = Self.lines(journal)
            }
            if let started, clock.now - started >= interval * 3 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard let started else { throw BenchFailure("the backfill child never checkpointed: \(child.standardError)") }
        let rate = Double(Self.lines(journal) - firstCount) / (clock.now - started).seconds
        child.signal(SIGKILL)
        _ = try? await child.wait(timeout: .seconds(5))
        let killedAt = Self.lines(journal)
        let stored = try await connection.send(["GET", "p7-kill:backfill:checkpoint"]).bytes
        let checkpoint = try stored.map { try MigrationCheckpoint.decode(from: Data($0)) }?.completed ?? 0
        return (killedAt - checkpoint, rate * interval.seconds, killedAt, checkpoint, batch)
    }

    private static func lines(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}
