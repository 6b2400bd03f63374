import MigrationsTestSupport
import RedisClient
import RedisTestSupport

/// P4: a fleet of 8 processes running `runPending` on the same 500 migrations that each take 1 ms, against
/// one process alone: double runs (must be 0) and wall time.
///
/// Every process is the package's `MigrationsTestWorker`. Wall time runs from launching the first
/// process to the exit of the last, process start-up and connecting included on both sides. A fleet of 2 is
/// measured too, as context: it tells the cost of contention for the lease from the cost of crowding 8
/// processes onto a small machine. So does the fleet of 8 run again once everything is completed: its wall
/// time is launching and starting 8 processes, with no lease to wait for.
struct FleetBenchmark {
    let server: RedisServer
    let processCount: Int
    let migrationCount: Int
    let repetitions: Int

    func run() async throws -> [Figure] {
        let admin = try await RedisConnection(configuration: server.configuration())
        defer { admin.close() }
        var singleTimes: [Double] = []
        var pairTimes: [Double] = []
        var fleetTimes: [Double] = []
        var idleFleetTimes: [Double] = []
        var doubleRuns = 0
        var neverRan = 0
        for repetition in 0..<repetitions {
            singleTimes.append(try await runFleet(of: 1, prefix: "p4-single-\(repetition)", admin: admin).wall)
            let pair = try await runFleet(of: 2, prefix: "p4-pair-\(repetition)", admin: admin)
            pairTimes.append(pair.wall)
            doubleRuns += pair.doubleRuns
            neverRan += pair.neverRan
            let fleet = try await runFleet(of: processCount, prefix: "p4-fleet-\(repetition)", admin: admin)
            fleetTimes.append(fleet.wall)
            doubleRuns += fleet.doubleRuns
            neverRan += fleet.neverRan
            // The same fleet again, with every migration now completed: launching and starting up alone.
            let idle = try await runFleet(of: processCount, prefix: "p4-fleet-\(repetition)", admin: admin)
            idleFleetTimes.append(idle.wall)
            // The counts are cumulative: only runs beyond the fleet's own are new double runs.
            doubleRuns += idle.doubleRuns - fleet.doubleRuns
        }
        let single = Measurement.median(singleTimes)
        let fleet = Measurement.median(fleetTimes)
        let pair = Measurement.median(pairTimes)
        let idleFleet = Measurement.median(idleFleetTimes)
        let runs = "\(repetitions) × (2 and \(processCount) processes) × \(migrationCount) migrations"
        return [
            Figure(
                "P4", "fleet of \(processCount): double runs", ours: "\(doubleRuns)",
                reference: "0", ratio: "\(doubleRuns) double, \(neverRan) never ran", target: "0",
                met: doubleRuns == 0 && neverRan == 0, note: "counted by each `up` with INCR, over \(runs)"),
            Figure(
                "P4", "fleet of \(processCount) vs one process: wall time",
                ours: "\(processCount) processes: \(Format.duration(fleet))",
                reference: "1 process: \(Format.duration(single))",
                ratio: Format.ratio(fleet / single), target: "≤ 1.2×", met: fleet / single <= 1.2,
                note: "\(migrationCount) migrations of 1 ms; launch to last exit; median of \(repetitions) "
                    + "(\(processCount) processes \(Format.spread(fleetTimes)); 1 process \(Format.spread(singleTimes)))"
            ),
            Figure(
                "P4", "context: a fleet of 2 vs one process: wall time", ours: "2 processes: \(Format.duration(pair))",
                reference: "1 process: \(Format.duration(single))", ratio: Format.ratio(pair / single), target: "—",
                met: nil,
                note: "no target; separates lease contention from crowding \(processCount) processes on this machine"),
            Figure(
                "P4", "context: the fleet of \(processCount) again, with nothing left to run",
                ours: "\(processCount) processes: \(Format.duration(idleFleet))",
                reference: "1 process doing the work: \(Format.duration(single))",
                ratio: "\(Int((idleFleet / single * 100).rounded())) % of it", target: "—", met: nil,
                note: "no target; launching \(processCount) processes, starting up and one read each, on this "
                    + "machine's cores: the part of the fleet's wall time no way of waiting removes "
                    + "(\(Format.spread(idleFleetTimes)))"),
        ]
    }

    private struct Outcome {
        var wall: Double
        var doubleRuns: Int
        var neverRan: Int
    }

    private func runFleet(of count: Int, prefix: String, admin: RedisConnection) async throws -> Outcome {
        let arguments = [
            "--url", server.url, "--prefix", prefix, "--stem", "fleet",
            "--count", String(migrationCount), "--step-ms", "1",
        ]
        let started = ContinuousClock.now
        var children: [ChildProcess] = []
        for _ in 0..<count {
            children.append(try await ChildProcess.launch(BenchFixtures.testWorker, arguments))
        }
        var lastExit = started
        for child in children {
            guard let status = (try? await child.wait(timeout: .seconds(300)))?.status, status == 0 else {
                throw BenchFailure("a fleet worker failed: \(child.standardError)")
            }
            lastExit = max(lastExit, child.exitedAt ?? .now)
        }
        let counts = try await BenchFixtures.executionCounts(
            (0..<migrationCount).map { "fleet-\($0)" }, prefix: prefix, on: admin)
        return Outcome(
            wall: (lastExit - started).seconds,
            doubleRuns: counts.reduce(0) { $0 + max(0, $1 - 1) },
            neverRan: counts.filter { $0 == 0 }.count)
    }
}
