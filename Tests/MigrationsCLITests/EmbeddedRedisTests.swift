import Foundation
import Migrations
import MigrationsCLI
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

@Suite("migrate with Redis", .timeLimit(.minutes(5)))
struct EmbeddedRedisTests {
    @Test("run with --redis-url records under the prefix, and both status --json outputs have one shape")
    func runAndStatusAgainstRedis() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }

        let run = try await fixture.migrate(["run", "--triggered-by", "ci-42"])
        #expect(run.status == 0, "\(run)")
        #expect(
            try await fixture.redis("GET", "migration:2025-01-04-archive-inactive-customers:completed").string == "true"
        )
        #expect(!fixture.exists(".migrations"))

        let embedded = try fixture.decode([MigrationStatusRow].self, try await fixture.migrate(["status", "--json"]))
        let tool = try fixture.decode([MigrationStatusRow].self, try await fixture.tool(["status", "--json"]))
        #expect(embedded.allSatisfy { $0.state == .completed && $0.triggeredBy == "ci-42" })
        let stripped = embedded.map { row -> MigrationStatusRow in
            var row = row
            row.description = nil
            row.position = nil
            row.canRollback = nil
            return row
        }
        #expect(stripped == tool)
    }

    @Test("REDIS_URL is used when --redis-url is not given")
    func redisURLFromEnvironment() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }

        let run = try await fixture.demo(
            ["migrate", "run", "--prefix", "env-app"], environment: ["REDIS_URL": fixture.redisURL])
        #expect(run.status == 0, "\(run)")
        #expect(run.standardOutput.contains("(state: Redis at \(fixture.redisURL) (prefix env-app))"), "\(run)")
        #expect(try await fixture.redis("GET", "env-app:2025-01-01-write-customers-csv:completed").string == "true")
        #expect(!fixture.exists(".migrations"))
    }

    @Test("--no-wait refuses a migration another process holds, with exit 1")
    func noWaitRefusesAHeldLease() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        try await LeaseWriter.write(
            fixture, name: "2025-01-01-write-customers-csv", host: "replica-2", pid: 77, ttlMs: 30_000, pttl: 30_000)

        let run = try await fixture.migrate(["run", "2025-01-01-write-customers-csv", "--no-wait"])
        #expect(run.status == 1, "\(run)")
        #expect(run.standardError.contains("is already running: its lease is held by replica-2 pid 77"), "\(run)")
        #expect(try await fixture.redis("GET", "migration:2025-01-01-write-customers-csv:completed") == .null)
    }

    @Test("by default a run waits for another holder's lease to end, then runs")
    func runWaitsForAnotherHolder() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        let name = "2025-01-01-write-customers-csv"
        try await LeaseWriter.write(fixture, name: name, host: "replica-2", pid: 77, ttlMs: 4_000, pttl: 4_000)

        let started = ContinuousClock.now
        let run = try await fixture.migrate(["run", name])
        #expect(run.status == 0, "\(run)")
        #expect(run.standardOutput.contains("1 completed"), "\(run)")
        #expect(ContinuousClock.now - started >= .seconds(1))
        #expect(run.standardError.contains("waiting for replica-2 pid 77 (elsewhere)"), "\(run)")
        #expect(run.standardError.contains("waiting at most 600 s"), "\(run)")
    }

    @Test("an unreachable Redis exits 3 with one line naming it")
    func unreachableRedis() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let outcome = try await fixture.demo(["migrate", "status", "--redis-url", "redis://127.0.0.1:1"])
        #expect(outcome.status == 3, "\(outcome)")
        #expect(outcome.standardError.hasPrefix("error: cannot reach Redis at redis://127.0.0.1:1: "), "\(outcome)")
        #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome)")
    }

    @Test("a wrong password exits 3 and the password is never printed")
    func wrongPassword() async throws {
        let fixture = try await CLIFixture.make(redis: true, serverOptions: .init(password: "right-horse-battery"))
        defer { fixture.tearDown() }
        let secret = "wrong-staple-9f3k"
        let url = "redis://:\(secret)@127.0.0.1:\(fixture.server!.port)"

        for outcome in [
            try await fixture.demo(["migrate", "run", "--redis-url", url]),
            try await fixture.demo(["migrate", "status"], environment: ["REDIS_URL": url]),
            try await CLIProcess.run("migrations", ["status", "--redis-url", url], directory: fixture.directory),
            try await CLIProcess.run("migrations", ["leases", "--redis-url=\(url)"], directory: fixture.directory),
        ] {
            #expect(outcome.status == 3, "\(outcome)")
            #expect(outcome.standardError.contains("refused the credentials"), "\(outcome)")
            #expect(outcome.standardError.contains("redis://:***@127.0.0.1"), "\(outcome)")
            #expect(!outcome.standardError.contains(secret) && !outcome.standardOutput.contains(secret), "\(outcome)")
        }
    }

    @Test("the right password is not printed in other errors either")
    func passwordNeverPrinted() async throws {
        let fixture = try await CLIFixture.make(redis: true, serverOptions: .init(password: "right-horse-battery"))
        defer { fixture.tearDown() }

        let unknown = try await fixture.migrate(["run", "nope"])
        #expect(unknown.status == 2, "\(unknown)")
        let badOption = try await fixture.migrate(["run", "--frobnicate"])
        #expect(badOption.status == 2, "\(badOption)")
        let run = try await fixture.migrate(["run"])
        #expect(run.status == 0, "\(run)")
        for outcome in [unknown, badOption, run] {
            #expect(!outcome.standardError.contains("right-horse-battery"), "\(outcome)")
            #expect(!outcome.standardOutput.contains("right-horse-battery"), "\(outcome)")
        }
        #expect(run.standardOutput.contains("redis://:***@127.0.0.1"), "\(run)")
    }

    @Test(
        "a malformed Redis URL is a usage error naming its source",
        arguments: [
            (["--redis-url", "http://cache:6379"], [String: String](), "--redis-url: invalid Redis URL"),
            ([], ["REDIS_URL": "redis://cache:99999"], "REDIS_URL: invalid Redis URL"),
        ])
    func malformedURL(arguments: [String], environment: [String: String], expected: String) async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let outcome = try await fixture.demo(["migrate", "status"] + arguments, environment: environment)
        #expect(outcome.status == 2, "\(outcome)")
        #expect(outcome.standardError.hasPrefix("error: \(expected)"), "\(outcome)")
    }
}

/// Writes lease values by hand, as a replica elsewhere would have.
enum LeaseWriter {
    /// Sets `<prefix>:<name>:lease` to a lease value with the TTL each renewal sets (`ttlMs`) and the TTL
    /// left (`pttl`): `ttlMs - pttl` is how long ago it was "renewed".
    static func write(
        _ fixture: CLIFixture, name: String, host: String, pid: Int32, ttlMs: Int64, pttl: Int64,
        prefix: String = "migration", triggeredBy: String = "elsewhere"
    ) async throws {
        let value = RedisLeaseValue(
            token: "0123456789abcdef0123456789abcdef", host: host, pid: pid, triggeredBy: triggeredBy,
            acquiredAt: Date(timeIntervalSinceNow: -60), fencingToken: 9, ttlMs: ttlMs)
        let json = String(decoding: try MigrationJSON.encoder().encode(value), as: UTF8.self)
        try await fixture.redis("SET", "\(prefix):\(name):lease", json, "PX", String(pttl))
    }
}
