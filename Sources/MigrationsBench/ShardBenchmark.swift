import Foundation
import MigrationsTestSupport
import RedisClient
import RedisTestSupport

/// P9: one sharded backfill run by 8 processes against 1: wall time, items processed twice (must be 0),
/// and the Redis round trips the shard bookkeeping costs per shard.
///
/// Every process is the package's `MigrationsTestWorker` with `--shards`: each batch of 100 items waits
/// 10 ms, as a database write would, so the work is I/O-bound and two cores are not the limit. Items are
/// journalled to a file (not Redis), so the only Redis commands are the runner's and one `RPUSH` per shard
/// attempt; the round trips per shard are the scripts run (claim, complete, any checkpoint save) over
/// the shards, measured with `INFO commandstats` on the single process, whose only waits are its own.
struct ShardBenchmark {
    let server: RedisServer
    let processCount: Int
    let shards: Int
    let itemsPerShard: Int
    let repetitions: Int

    func run() async throws -> [Figure] {
        let admin = try await RedisConnection(configuration: server.configuration())
        defer { admin.close() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "migrations-bench-p9-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var singleTimes: [Double] = []
        var fleetTimes: [Double] = []
        var doubles = 0
        var missing = 0
        var singleScripts: [Double] = []
        var rawScripts = ""
        var fleetScripts: [Double] = []
        for repetition in 0..<repetitions {
            // Alternating which side goes first keeps a warming machine from favouring one.
            for side in repetition % 2 == 0 ? [1, processCount] : [processCount, 1] {
                let outcome = try await runFleet(
                    of: side, prefix: "p9-\(side)-\(repetition)", journal: "\(directory)/\(side)-\(repetition)",
                    admin: admin)
                doubles += outcome.doubles
                missing += outcome.missing
                if side == 1 {
                    singleTimes.append(outcome.wall)
                    singleScripts.append(outcome.scriptsPerShard)
                    rawScripts = outcome.scripts
                } else {
                    fleetTimes.append(outcome.wall)
                    fleetScripts.append(outcome.scriptsPerShard)
                }
            }
        }
        let single = Measurement.median(singleTimes)
        let fleet = Measurement.median(fleetTimes)
        let perShard = Measurement.median(singleScripts)
        let work = "\(shards) shards × \(itemsPerShard) items, 10 ms per batch of 100"
        return [
            Figure(
                "P9", "sharded backfill, \(processCount) processes vs 1: wall time",
                ours: "\(processCount) processes: \(Format.duration(fleet))",
                reference: "1 process: \(Format.duration(single))",
                ratio: Format.ratio(single / fleet) + " faster", target: "≥ 6× faster", met: single / fleet >= 6,
                note: "\(work); launch to last exit; median of \(repetitions), sides alternating"),
            Figure(
                "P9", "sharded backfill: items processed twice", ours: "\(doubles)", reference: "0",
                ratio: "\(doubles) twice, \(missing) never", target: "0", met: doubles == 0 && missing == 0,
                note: "every item journalled by the process that did it, over every run of both sides"),
            Figure(
                "P9", "shard bookkeeping: scripts per shard, 1 process", ours: Format.number(perShard, decimals: 2),
                reference: "claim + complete = 2", ratio: Format.number(perShard, decimals: 2),
                target: "≤ 2 per shard acquisition", met: perShard <= 2,
                note: "script round trips per shard: EVALSHA less the NOSCRIPT misses (each followed by an EVAL), "
                    + "over \(shards) shards; a closing claim that finds nothing left counts too (last run: "
                    + "\(rawScripts)); \(processCount) processes: "
                    + "\(Format.number(Measurement.median(fleetScripts), decimals: 2)) (replicas waiting at the end "
                    + "claim again when woken)"),
        ]
    }

    private struct Outcome {
        var wall: Double
        var doubles: Int
        var missing: Int
        var scriptsPerShard: Double
        var scripts: String
    }

    private func runFleet(of count: Int, prefix: String, journal: String, admin: RedisConnection) async throws
        -> Outcome
    {
        let total = shards * itemsPerShard
        let arguments = [
            "--url", server.url, "--prefix", prefix, "--backfill", String(total), "--shards", String(shards),
            "--batch", "100", "--batch-ms", "10", "--checkpoint-ms", "5000", "--only", "backfill",
            "--record", "journal", "--journal", journal,
        ]
        try await CommandStats.reset(on: admin)
        let started = ContinuousClock.now
        var children: [ChildProcess] = []
        for _ in 0..<count {
            children.append(try await ChildProcess.launch(BenchFixtures.testWorker, arguments))
        }
        var lastExit = started
        for child in children {
            guard let status = (try? await child.wait(timeout: .seconds(300)))?.status, status == 0 else {
                throw BenchFailure("a sharded worker failed: \(child.standardError)")
            }
            lastExit = max(lastExit, child.exitedAt ?? .now)
        }
        let stats = try await CommandStats.read(from: admin)
        var counts = [Int](repeating: 0, count: total)
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        for line in text.split(separator: "\n") {
            if let item = line.split(separator: " ").first.flatMap({ Int($0) }), counts.indices.contains(item) {
                counts[item] += 1
            }
        }
        return Outcome(
            wall: (lastExit - started).seconds, doubles: counts.filter { $0 > 1 }.count,
            missing: counts.filter { $0 == 0 }.count,
            scriptsPerShard: Double(stats["evalsha"] - stats["eval"]) / Double(shards),
            scripts: "EVALSHA \(stats["evalsha"]), EVAL \(stats["eval"])")
    }
}
