import Foundation
import Migrations
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

extension FaultDrills {
    @Suite("R15 replicas waiting for another's whole run of pending migrations", .timeLimit(.minutes(5)))
    struct FleetWaitDrill {
        /// Proves that replicas whose `runPending` finds the holder working through the same pending
        /// migrations wait for its whole run: each registers to wait a handful of times, not once per
        /// migration; they wake when the run ends, well before any lease they saw could expire; and every
        /// migration runs exactly once.
        @Test("waiters register a few times for the whole run, wake at its end, and nothing runs twice")
        func waitersWaitForTheWholeRun() async throws {
            let server = try await RedisServer.start()
            let prefix = "r15a"
            let common = ["--url", server.url, "--prefix", prefix, "--count", "20", "--ttl-ms", "20000"]
            let holder = try await ChildProcess.drillHolder(
                common + ["--step-ms", "60"], server: server, prefix: prefix)
            let registrationsBefore = try await server.calls(of: "sadd")
            let waiters = try await ChildProcess.drillWorkers(2, common + ["--step-ms", "60"])
            #expect(await holder.exitStatus(within: .seconds(30)) == 0, "the holder failed: \(holder.standardError)")
            for waiter in waiters {
                // Each lease lives 20 s: a waiter that was not woken by the run's end would still be waiting.
                #expect(
                    await waiter.exitStatus(within: .seconds(8)) == 0,
                    "a waiter did not return soon after the run ended: \(waiter.standardError)")
            }
            let registrations = try await server.calls(of: "sadd") - registrationsBefore
            #expect(registrations <= 8, "two waiters registered \(registrations) times for 20 migrations")
            for index in 0..<20 {
                #expect(
                    try await server.command("GET", "\(prefix)-count:drill-\(index)").string == "1",
                    "drill-\(index) did not run exactly once")
                #expect(try await server.string("\(prefix):drill-\(index):completed") == "true")
            }
            #expect(try await server.keys("\(prefix):*:run-waiter*").isEmpty, "a run's waiting keys were left behind")
        }

        /// Proves that a waiter of a whole run still takes over from a holder killed with `SIGKILL` in
        /// the middle of it: once the lease has expired (never before), within the TTL plus one second,
        /// and exactly one of two waiters runs it; the rest of the run then runs once.
        @Test("a SIGKILLed holder of a run is taken over after its TTL and not before; the rest runs once")
        func killedHolderOfARunIsTakenOver() async throws {
            let server = try await RedisServer.start()
            let prefix = "r15b"
            let common = ["--url", server.url, "--prefix", prefix, "--count", "3", "--ttl-ms", "1000"]
            let holder = try await ChildProcess.drillHolder(
                common + ["--step-ms", "30000"], server: server, prefix: prefix)
            let waiters = try await ChildProcess.drillWorkers(2, common)
            try await waitUntil("both waiters wait for the holder's run") {
                let sets = try await server.keys("\(prefix):*:run-waiters")
                guard sets.count == 1 else { return false }
                return try await server.command("SCARD", sets[0]).int == 2
            }
            #expect(
                try await server.command("SCARD", "\(prefix):drill-0:waiters").int == 0,
                "a waiter of the run also waits for the migration's own lease")

            let reports = try await FaultDrills.killAndExpectTakeover(
                of: "drill-0", holder: holder, waiters: waiters, server: server, prefix: prefix,
                timeToLiveMilliseconds: 1000)
            for index in 1..<3 {
                #expect(
                    try await server.command("GET", "\(prefix)-count:drill-\(index)").string == "1",
                    "drill-\(index) did not run exactly once")
            }
            #expect(
                reports.flatMap(\.completed).sorted() == ["drill-0", "drill-1", "drill-2"],
                "the waiters completed the rest of the run once between them: \(reports.map(\.completed))")
        }
    }
}
