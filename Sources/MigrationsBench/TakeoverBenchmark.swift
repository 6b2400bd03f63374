import Foundation
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// P5: how long after its holder is killed (`SIGKILL`) or frozen past its TTL (`SIGSTOP`) a waiting
/// replica takes a migration over, with a 2-second TTL.
///
/// The holder is the package's `MigrationsTestWorker` (`--only`), in an `up` that sleeps for a minute. The
/// successor is a runner in this process, already waiting for the lease when the signal is sent. Takeover
/// time runs from the signal to the successor's `up` starting. Trials signal the holder at different
/// points of its renewal cycle (it renews every third of the TTL).
struct TakeoverBenchmark {
    let server: RedisServer
    let timeToLive: Duration
    let phases: [Duration]

    private let name = "takeover-0"

    func run() async throws -> [Figure] {
        var figures: [Figure] = []
        for (signal, label) in [(SIGKILL, "SIGKILL"), (SIGSTOP, "SIGSTOP past the TTL")] {
            var takeovers: [Double] = []
            var reactions: [Double] = []
            var fencedOff = true
            for (trial, phase) in phases.enumerated() {
                let outcome = try await trialRun(signal: signal, phase: phase, prefix: "p5-\(signal)-\(trial)")
                takeovers.append(outcome.takeover)
                reactions.append(outcome.takeover - outcome.leaseLeftAtSignal)
                fencedOff = fencedOff && outcome.holderFencedOff
            }
            let worst = takeovers.max() ?? 0
            let limit = timeToLive.seconds + 0.5
            var note =
                "\(phases.count) trials; median \(Format.duration(Measurement.median(takeovers))); "
                + "after the lease expired: median \(Format.duration(Measurement.median(reactions))), "
                + "max \(Format.duration(reactions.max() ?? 0))"
            if signal == SIGSTOP {
                note +=
                    fencedOff
                    ? "; every resumed holder reported lease-lost and the record was the successor's"
                    : "; a resumed holder was NOT fenced off"
            }
            figures.append(
                Figure(
                    "P5", "takeover after \(label), TTL \(Format.duration(timeToLive.seconds))",
                    ours: "worst \(Format.duration(worst))", reference: "TTL \(Format.duration(timeToLive.seconds))",
                    ratio: Format.ratio(worst / timeToLive.seconds) + " TTL",
                    target: "≤ TTL + 0.5 s (\(Format.duration(limit)))", met: worst <= limit && fencedOff,
                    note: note))
        }
        return figures
    }

    private struct Outcome {
        var takeover: Double
        var leaseLeftAtSignal: Double
        var holderFencedOff: Bool
    }

    private func trialRun(signal: Int32, phase: Duration, prefix: String) async throws -> Outcome {
        let admin = try await RedisConnection(configuration: server.configuration())
        defer { admin.close() }
        let ttl = String(Int(timeToLive.seconds * 1000))
        let holder = try await ChildProcess.launch(
            BenchFixtures.testWorker,
            [
                "--url", server.url, "--prefix", prefix, "--stem", "takeover", "--count", "1",
                "--only", name, "--step-ms", "60000", "--ttl-ms", ttl,
            ])
        try await waitUntil("the holder started its up", limit: .seconds(15)) {
            try await admin.send(["LLEN", "\(prefix)-runs:\(name)"]).int ?? 0 > 0
        }

        let backend = try await RedisMigrationBackend.connect(
            configuration: server.configuration(), keys: RedisMigrationKeys(prefix: prefix),
            leaseTimeToLive: timeToLive)
        defer { backend.close() }
        let upStarted = Mutex<ContinuousClock.Instant?>(nil)
        var registry = MigrationRegistry<BenchApp>()
        try registry.register(
            ClosureMigration<BenchApp>(name: name) { context in
                upStarted.withLock { $0 = .now }
                try await context.app.recordExecution(of: context.migrationName)
            })
        let runner = BenchFixtures.runner(registry, backend: backend, label: "successor")
        let app = BenchApp(
            counter: try await RedisConnection(configuration: server.configuration()), counterPrefix: prefix)
        let options = MigrationRunOptions(whenHeldElsewhere: .wait(timeout: .seconds(60)))
        async let successor = runner.run(name, context: app, options: options)

        try await Task.sleep(for: phase)
        let signalledAt = ContinuousClock.now
        holder.signal(signal)
        let leaseLeft = Double(try await admin.send(["PTTL", "\(prefix):\(name):lease"]).int ?? 0) / 1000
        let result = try await successor
        guard result.status == .completed, let started = upStarted.withLock({ $0 }) else {
            throw BenchFailure("the successor did not complete: \(result.status) \(result.error ?? "")")
        }

        var fencedOff = true
        if signal == SIGSTOP {
            holder.signal(SIGCONT)
            let status = (try? await holder.wait(timeout: .seconds(30)))?.status
            let record = try await admin.send(["GET", "\(prefix):\(name):result"]).bytes
                .flatMap { try? MigrationResult.decode(from: Data($0)) }
            let fence = try await admin.send(["GET", "\(prefix):\(name):fence"]).string
            fencedOff =
                status == 1 && holder.standardOutput.contains("\"failure\":\"lease-lost\"")
                && record?.pid == ProcessInfo.processInfo.processIdentifier && fence == "2"
        } else {
            _ = try? await holder.wait(timeout: .seconds(30))
        }
        let runs = try await admin.send(["GET", "\(prefix)-count:\(name)"]).string
        guard runs == "2" else {
            throw BenchFailure("the migration ran \(runs ?? "0") times, not twice (holder, successor)")
        }
        return Outcome(
            takeover: (started - signalledAt).seconds, leaseLeftAtSignal: leaseLeft, holderFencedOff: fencedOff)
    }

    private func waitUntil(_ what: String, limit: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw BenchFailure("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
