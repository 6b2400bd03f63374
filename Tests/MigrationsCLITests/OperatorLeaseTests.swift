import Foundation
import Migrations
import MigrationsCLI
import MigrationsOperator
import MigrationsTestSupport
import RedisClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("migrations leases and unlock", .timeLimit(.minutes(5)))
struct OperatorLeaseTests {
    /// Starts the demo's hidden slow migration against the fixture's Redis and waits for its lease and
    /// first published progress.
    private func startSlowMigration(_ fixture: CLIFixture, leaseTTL: String) async throws -> ChildProcess {
        let child = try await CLIProcess.launch(
            "migrations-demo",
            [
                "migrate", "run", "9999-slow-demo", "--lease-ttl", leaseTTL, "--triggered-by", "lease-test",
                "--redis-url", fixture.redisURL,
            ],
            environment: ["MIGRATIONS_DEMO_SLOW": "60"], directory: fixture.directory)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let lease = try await fixture.redis("GET", "migration:9999-slow-demo:lease")
            let progress = try await fixture.redis("GET", "migration:9999-slow-demo:progress")
            if lease != .null && progress != .null { return child }
            try await Task.sleep(for: .milliseconds(50))
        }
        child.signal(SIGKILL)
        throw CLITimeout(description: "the slow migration took no lease: \(try await child.wait())")
    }

    @Test(
        "a live holder shows as running; unlock refuses its lease (exit 4); after a SIGKILL, leases shows the stuck lease and unlock --force clears it and bumps the fence"
    )
    func stuckLeaseOfAKilledProcess() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        let child = try await startSlowMigration(fixture, leaseTTL: "30")

        let rows = try fixture.decode([MigrationStatusRow].self, try await fixture.tool(["status", "--json"]))
        let running = try #require(rows.first { $0.name == "9999-slow-demo" })
        #expect(running.state == .running)
        #expect(running.holder?.pid == child.pid)
        #expect(running.holder?.triggeredBy == "lease-test")
        #expect(running.holder?.ttlMilliseconds ?? 0 > 20_000)
        #expect(running.progress?.total == 600)
        let table = try await fixture.tool(["status"])
        #expect(table.standardOutput.contains("pid \(child.pid), since "), "\(table)")

        let refused = try await fixture.tool(["unlock", "9999-slow-demo"])
        #expect(refused.status == 4, "\(refused)")
        #expect(
            refused.standardOutput.contains(
                "held by \(ProcessInfo.processInfo.hostName) pid \(child.pid) (lease-test)"), "\(refused)")
        #expect(refused.standardError.contains("refusing to clear the lease of '9999-slow-demo'"), "\(refused)")
        #expect(refused.standardError.contains("pid \(child.pid) is alive on this host"), "\(refused)")

        child.signal(SIGKILL)
        _ = try await child.wait(timeout: .seconds(10))

        let leases = try fixture.decode([MigrationLeaseRow].self, try await fixture.tool(["leases", "--json"]))
        #expect(leases.count == 1)
        #expect(leases.first?.name == "9999-slow-demo")
        #expect(leases.first?.holder.pid == child.pid)
        #expect(leases.first?.holder.fencingToken == 1)
        #expect(leases.first?.leaseTimeToLiveMilliseconds == 30_000)
        let leasesText = try await fixture.tool(["leases"])
        #expect(leasesText.standardOutput.contains("pid \(child.pid) (gone)"), "\(leasesText)")

        let forced = try await fixture.tool(["unlock", "9999-slow-demo", "--force"])
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.standardOutput.contains("pid \(child.pid) is not running on this host"), "\(forced)")
        #expect(forced.standardOutput.contains("raised its fencing token to 2"), "\(forced)")
        #expect(try await fixture.redis("GET", "migration:9999-slow-demo:lease") == .null)
        #expect(try await fixture.redis("GET", "migration:9999-slow-demo:fence").string == "2")
        let empty = try await fixture.tool(["leases", "--json"])
        #expect(empty.standardOutput == "[]\n", "an empty array prints as [], not [\\n\\n]: \(empty)")
        let none = try await fixture.tool(["leases"])
        #expect(none.standardOutput.hasPrefix("No leases"), "\(none)")
    }

    @Test("unlock clears a lease its holder stopped renewing, with a compare-and-delete")
    func unlockStaleLease() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        try await LeaseWriter.write(fixture, name: "job", host: "replica-9", pid: 4242, ttlMs: 30_000, pttl: 10_000)

        let outcome = try await fixture.tool(["unlock", "job", "--json"])
        #expect(outcome.status == 0, "\(outcome)")
        let report = try fixture.decode(MigrationOperatorActionReport.self, outcome)
        #expect(report.action == .unlocked)
        #expect(report.holder?.host == "replica-9")
        // The lease was written with 20 s of its 30 s TTL gone; the tool reads it a moment later.
        #expect(report.message.contains("not renewed for 2"), "\(report.message)")
        #expect(try await fixture.redis("GET", "migration:job:lease") == .null)
        #expect(try await fixture.redis("GET", "migration:job:fence") == .null, "a plain unlock does not fence")
    }

    @Test("unlock refuses a lease renewed moments ago by a holder elsewhere (exit 4), naming the holder")
    func unlockRefusesALiveLease() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        try await LeaseWriter.write(fixture, name: "job", host: "replica-9", pid: 4242, ttlMs: 30_000, pttl: 29_000)

        let text = try await fixture.tool(["unlock", "job"])
        #expect(text.status == 4, "\(text)")
        #expect(text.standardOutput.contains("held by replica-9 pid 4242 (elsewhere)"), "\(text)")
        #expect(
            text.standardError.hasPrefix("error: refusing to clear the lease of 'job': its holder renewed it "),
            "\(text)")
        #expect(text.standardError.contains("pass --force"), "\(text)")

        let json = try await fixture.tool(["unlock", "job", "--json"])
        #expect(json.status == 4, "\(json)")
        #expect(try fixture.decode(MigrationOperatorActionReport.self, json).action == .refused)
        #expect(try await fixture.redis("GET", "migration:job:lease") != .null)
    }

    @Test("unlock of a name with nothing stored exits 2 with a clear message")
    func unlockWithoutLease() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }

        let outcome = try await fixture.tool(["unlock", "job"])
        #expect(outcome.status == 2, "\(outcome)")
        #expect(
            outcome.standardError
                == "error: no lease is held on migration 'job' under prefix 'migration' at \(fixture.redisURL); "
                + "nothing to unlock (nothing is stored for it at all: is the name right?)\n")
    }
}
