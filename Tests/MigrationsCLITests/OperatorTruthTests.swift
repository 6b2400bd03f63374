import Foundation
import Migrations
import MigrationsCLI
import MigrationsOperator
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

/// The operator tools say what is true: foreign lease values are listed and clearable, liveness is one
/// verdict, and an error reply is a failed command (exit 3), never a verdict about the data.
@Suite("What operators see is what happened", .timeLimit(.minutes(5)))
struct OperatorTruthTests {
    static let name = "2025-01-01-write-customers-csv"

    @Test(
        "a lease key holding garbage or an older tool's JSON is listed, refused without --force, cleared with it",
        arguments: ["garbage", #"{"token":"deadbeef","host":"gone-host","pid":4242}"#])
    func foreignLeaseValues(value: String) async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        try await fixture.redis("SET", "migration:\(Self.name):lease", value, "PX", "600000")

        let run = try await fixture.migrate(["run", Self.name, "--no-wait"])
        #expect(run.status != 0, "\(run)")
        #expect(run.standardError.contains("migrations unlock '\(Self.name)' --force"), "\(run)")

        let leases = try await fixture.tool(["leases"])
        #expect(leases.status == 0, "\(leases)")
        #expect(leases.standardOutput.contains(Self.name), "\(leases)")
        #expect(leases.standardOutput.contains("unrecognised value: \(value.prefix(30))"), "\(leases)")
        let rows = try fixture.decode([MigrationLeaseRow].self, try await fixture.tool(["leases", "--json"]))
        #expect(rows.map(\.unrecognisedValue) == [value])

        let refused = try await fixture.tool(["unlock", Self.name])
        #expect(refused.status == 4, "\(refused)")
        #expect(try await fixture.redis("EXISTS", "migration:\(Self.name):lease").int == 1)

        let forced = try await fixture.tool(["unlock", Self.name, "--force"])
        #expect(forced.status == 0, "\(forced)")
        #expect(try await fixture.redis("EXISTS", "migration:\(Self.name):lease").int == 0)
        #expect(try await fixture.redis("GET", "migration:\(Self.name):fence").string == "1")
        #expect(try await fixture.migrate(["run", Self.name]).status == 0)
    }

    @Test("unlock of a live holder on another host says one thing: renewed moments ago, so alive")
    func livenessIsOneVerdict() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        try await LeaseWriter.write(fixture, name: Self.name, host: "other-host", pid: 1, ttlMs: 30_000, pttl: 29_900)
        let outcome = try await fixture.tool(["unlock", Self.name])
        #expect(outcome.status == 4, "\(outcome)")
        #expect(outcome.standardError.contains("(a live holder renews every 10.0s), so it is alive;"), "\(outcome)")
        #expect(!outcome.standardError.contains("not running"), "\(outcome)")
        #expect(!outcome.standardOutput.contains("not running"), "\(outcome)")
    }

    @Test("a holder on this host whose pid is gone is not alive, however recently it renewed: unlock clears it")
    func goneHolderOnThisHostIsNotAlive() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        let finished = try await ChildProcess.launch("/bin/true", [])
        let pid = finished.pid
        _ = try await finished.wait(timeout: .seconds(10))
        try await LeaseWriter.write(
            fixture, name: Self.name, host: ProcessInfo.processInfo.hostName, pid: pid, ttlMs: 30_000, pttl: 29_900)
        let outcome = try await fixture.tool(["unlock", Self.name])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.contains("pid \(pid) on this host, is not running"), "\(outcome)")
        #expect(!outcome.standardOutput.contains("is alive"), "\(outcome)")
        #expect(try await fixture.redis("EXISTS", "migration:\(Self.name):lease").int == 0)
    }

    @Test("unlock --force compares the exact value it showed: a lease that changed meanwhile is left alone")
    func forceUnlockComparesTheValue() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        try await LeaseWriter.write(fixture, name: Self.name, host: "other-host", pid: 1, ttlMs: 30_000, pttl: 29_900)
        let connection = try await RedisConnection(configuration: try #require(fixture.server).configuration())
        let inspector = RedisMigrationInspector(connection: connection)
        let shown = try #require(try await inspector.rawLease(of: Self.name))
        try await LeaseWriter.write(fixture, name: Self.name, host: "new-host", pid: 2, ttlMs: 30_000, pttl: 29_900)
        #expect(try await inspector.forceUnlock(Self.name, expecting: shown) == false)
        #expect(try await fixture.redis("EXISTS", "migration:\(Self.name):lease").int == 1)
    }

    @Test("with requirepass and no password every tool exits 3 naming the refusal, never 'foreign data'")
    func errorRepliesAreErrors() async throws {
        var options = RedisServer.Options()
        options.password = "s3cret-pw"
        let fixture = try await CLIFixture.make(redis: true, serverOptions: options)
        defer { fixture.tearDown() }
        try await fixture.redis("SET", "migration:\(Self.name):completed", "true")
        let url = "redis://127.0.0.1:\(try #require(fixture.server).port)"
        let commands: [(String, [String])] = [
            ("migrations-demo", ["migrate", "status", "--redis-url", url]),
            ("migrations", ["status", "--redis-url", url]),
            ("migrations", ["show", Self.name, "--redis-url", url]),
            ("migrations", ["leases", "--redis-url", url]),
            ("migrations", ["unlock", Self.name, "--redis-url", url]),
            ("migrations", ["reset", Self.name, "--yes", "--redis-url", url]),
        ]
        for (executable, arguments) in commands {
            let outcome = try await CLIProcess.run(executable, arguments, directory: fixture.directory)
            let command = "\(executable) \(arguments.prefix(2).joined(separator: " "))"
            #expect(outcome.status == 3, "\(command): \(outcome)")
            #expect(!outcome.standardError.contains("foreign data"), "\(command): \(outcome)")
            #expect(!outcome.standardOutput.contains("unknown"), "\(command): \(outcome)")
            #expect(
                outcome.standardError.contains("NOAUTH") || outcome.standardError.contains("credentials"),
                "\(command): \(outcome)")
            #expect(!outcome.standardError.contains("s3cret-pw"), "\(command): \(outcome)")
        }
        #expect(try await fixture.redis("GET", "migration:\(Self.name):completed").string == "true")
    }
}
