import Foundation
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("migrate run waiting for another holder", .timeLimit(.minutes(5)))
struct WaitingInterruptTests {
    static let name = "2025-01-01-write-customers-csv"

    @Test(
        "a signal ends the wait within 2 s with exit 5; nothing is written and the holder's lease is untouched",
        arguments: [SIGINT, SIGTERM])
    func signalEndsTheWait(signal: Int32) async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        let server = try #require(fixture.server)
        // The lease of a holder that died without releasing it, as the issue's reproduction had it.
        try await LeaseWriter.write(
            fixture, name: Self.name, host: "gone-host", pid: 4242, ttlMs: 600_000, pttl: 600_000,
            triggeredBy: "deploy-9")
        let before = try await server.snapshot(matching: "migration:*")

        let child = try await CLIProcess.launch(
            "migrations-demo", ["migrate", "run", Self.name, "--redis-url", fixture.redisURL],
            directory: fixture.directory)
        let deadline = ContinuousClock.now + .seconds(30)
        while try await fixture.redis("SCARD", "migration:\(Self.name):waiters").int == 0 {
            guard ContinuousClock.now < deadline, child.isRunning else {
                Issue.record("the run never started waiting: \(child.standardError)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let signalled = ContinuousClock.now
        child.signal(signal)
        let outcome = try await child.wait(timeout: .seconds(20))
        let took = (child.exitedAt ?? ContinuousClock.now) - signalled

        #expect(took < .seconds(2), "the wait went on \(took) after the signal")
        #expect(outcome.status == 5, "\(outcome)")
        let lines = outcome.standardError.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("state: Redis at") == true, "\(outcome.standardError)")
        let firstLine = lines.first { $0.contains("waiting") } ?? ""
        #expect(firstLine.contains("waiting for gone-host pid 4242 (deploy-9)"), "\(outcome.standardError)")
        #expect(firstLine.contains("TTL"), "\(firstLine)")
        #expect(outcome.standardError.contains("was cancelled while waiting for gone-host pid 4242"), "\(outcome)")
        #expect(!outcome.standardError.contains("validation threw"), "\(outcome)")
        #expect(try await server.snapshot(matching: "migration:*") == before, "the run wrote under the keys")
        #expect(try await fixture.redis("PTTL", "migration:\(Self.name):lease").int ?? 0 > 500_000)
    }
}
