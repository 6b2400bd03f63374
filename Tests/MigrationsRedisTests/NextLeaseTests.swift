import Foundation
import Logging
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Synchronization
import Testing

/// Taking the next migration's lease with the completion before it (`completeAndAcquire`): one round
/// trip between two migrations of `runPending`, with every fence, check and release as before.
@Suite("Redis next lease with the completion", .timeLimit(.minutes(5)))
struct NextLeaseTests {
    @Test("runPending of 20 migrations costs one round trip a migration, plus two reads, one acquire and one wake")
    func oneRoundTripBetweenMigrations() async throws {
        let names = (0..<20).map { "next-\($0)" }
        let harness = try await RedisHarness.start(names.map { countingMigration($0) })
        // A first run of two loads every script the measured one uses (a script's first call is two round
        // trips: NOSCRIPT, then EVAL).
        let warmUp = MigrationRunner(
            registry: try MigrationRegistry([countingMigration("warm-0"), countingMigration("warm-1")]),
            backend: harness.backend, logger: Logger(label: "warm-up"), configuration: .init(triggeredBy: "tests"))
        #expect(try await warmUp.runPending(context: harness.app).count == 2)
        let before = harness.backend.connection.roundTrips
        let results = try await harness.runner.runPending(context: harness.app)
        let spent = harness.backend.connection.roundTrips - before

        #expect(results.map(\.status) == Array(repeating: .completed, count: names.count))
        // The markers, the states, the first acquire, 19 completions each taking the next lease, the last
        // completion, and the wake of the run's waiters. Each migration apart took two round trips: 43.
        #expect(spent == names.count + 4, "\(spent) round trips")
        for (index, name) in names.enumerated() {
            let runs = try await harness.app.count(name)
            #expect(runs == 1, "\(name) ran \(runs) times")
            #expect(try await harness.get("migration:\(name):completed") == "true")
            #expect(try await harness.server.command("EXISTS", "migration:\(name):lease").int == 0)
            #expect(results[index].fencingToken == 1, "\(name) was fenced by \(results[index].fencingToken ?? 0)")
        }
    }

    @Test("the lease taken with the completion before it names its own attempt and when it was taken")
    func theEarlyLeaseNamesItsAttempt() async throws {
        let seen = Mutex<RedisLeaseValue?>(nil)
        let first = countingMigration("first", step: .milliseconds(1500))
        let second = ClosureMigration<CountingApp>(name: "second") { context in
            let raw = try await context.app.redis.send(["GET", "migration:second:lease"])
            seen.withLock { $0 = raw.bytes.flatMap(RedisLeaseValue.decode) }
        }
        let harness = try await RedisHarness.start([first, second])
        let start = Date()
        let results = try await harness.runner.runPending(context: harness.app)

        #expect(results.map(\.status) == [.completed, .completed])
        let value = try #require(seen.withLock { $0 })
        #expect(value.runId != nil && value.runId == results[1].runId, "the lease names the attempt that used it")
        #expect(value.runId != results[0].runId)
        #expect(value.fencingToken == results[1].fencingToken)
        #expect(value.pendingRun != nil)
        // Taken when the first completed, 1.5 s in, not when the run planned it (dates are kept to the second).
        #expect(
            value.acquiredAt >= start.addingTimeInterval(0.4), "acquired at \(value.acquiredAt), run began \(start)")
    }

    @Test("a run cancelled between two migrations releases the lease it took for the next at once; nothing more runs")
    func cancelledBetweenMigrationsReleasesTheEarlyLease() async throws {
        let harness = try await RedisHarness.start([])
        let run = Mutex<Task<[MigrationResult], any Error>?>(nil)
        var logger = Logger(label: "next-lease-tests") { _ in
            // The completion of `first` is logged after it is recorded, and after the next lease was taken.
            HookLogHandler { message, metadata in
                if message == "migration completed", metadata["migration.name"] == "first" {
                    run.withLock { $0?.cancel() }
                }
            }
        }
        logger.logLevel = .info
        let runner = MigrationRunner(
            registry: try MigrationRegistry([countingMigration("first"), countingMigration("second")]),
            backend: harness.backend, logger: logger, configuration: .init(triggeredBy: "tests"))
        let app = harness.app
        let started = Mutex(false)
        let task = Task {
            while !started.withLock({ $0 }) { await Task.yield() }
            return try await runner.runPending(context: app)
        }
        run.withLock { $0 = task }
        started.withLock { $0 = true }

        await #expect(throws: MigrationError.self) { try await task.value }
        #expect(try await harness.get("migration:first:completed") == "true")
        #expect(try await harness.get("migration:second:fence") == "1", "the next lease was taken with the completion")
        #expect(
            try await harness.server.command("EXISTS", "migration:second:lease").int == 0,
            "the lease of 'second' is left behind for its TTL")
        #expect(try await harness.app.count("second") == 0)
        #expect(try await harness.get("migration:second:completed") == nil)

        // The next run takes it at once, with the next fence.
        let results = try await runner.runPending(context: app)
        #expect(results.map(\.name) == ["second"])
        #expect(results.first?.fencingToken == 2)
    }

    @Test("foreign data under the next migration's keys does not fail the completion; acquiring it reports it")
    func foreignDataUnderTheNextKeys() async throws {
        let harness = try await RedisHarness.start([countingMigration("first"), countingMigration("second")])
        _ = try await harness.server.command("SET", "migration:second:fence", "not-a-number")
        let error = await #expect(throws: MigrationError.self) {
            try await harness.runner.runPending(context: harness.app)
        }
        #expect(try await harness.get("migration:first:completed") == "true")
        #expect(try await harness.server.command("EXISTS", "migration:first:lease").int == 0)
        #expect(error?.message.contains("migration:second:fence") == true, "\(String(describing: error))")
        #expect(try await harness.app.count("second") == 0)
    }

    @Test("a next migration held by another replica is waited for as before, and run once")
    func heldNextIsWaitedFor() async throws {
        let harness = try await RedisHarness.start(
            [countingMigration("first"), countingMigration("second")], leaseTimeToLive: .seconds(20))
        let other = harness.backend.leaseProvider
        let holder = LeaseHolder(host: "other", pid: 9, triggeredBy: "tests")
        let request = LeaseRequest(name: "second", holder: holder, skipIfCompleted: true)
        guard case .acquired(let lease, _) = try await other.acquire(request) else {
            Issue.record("not acquired")
            return
        }
        let task = Task { try await harness.runner.runPending(context: harness.app) }
        try await waitUntil("first completes and the run waits for second") {
            try await harness.get("migration:first:completed") == "true"
                && harness.runner.leaseWait(of: "second") != nil
        }
        try await lease.release()
        let results = try await task.value
        #expect(results.map(\.status) == [.completed, .completed])
        #expect(try await harness.app.count("second") == 1)
        #expect(results[1].fencingToken == 2)
    }
}

/// Hands every log event to a closure.
private struct HookLogHandler: LogHandler {
    let hook: @Sendable (String, Logger.Metadata) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(_ hook: @escaping @Sendable (String, Logger.Metadata) -> Void) {
        self.hook = hook
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        hook(event.message.description, metadata.merging(event.metadata ?? [:]) { _, new in new })
    }
}
