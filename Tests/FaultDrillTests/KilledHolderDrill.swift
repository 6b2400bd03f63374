import Foundation
import Migrations
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

extension FaultDrills {
    @Suite("R2 holder killed mid-up", .timeLimit(.minutes(5)))
    struct KilledHolderDrill {
        /// Proves that when the process running a migration is killed with `SIGKILL` in the middle of `up`,
        /// two replicas that were already waiting for its lease take over only once the lease has expired
        /// (never before), promptly after it (within the TTL plus one second), and that exactly one of
        /// them runs it: one completion record, by the successor, with the next fencing token.
        @Test(
            "a SIGKILLed holder is taken over after its TTL and not before; one completion record",
            .timeLimit(.minutes(1)))
        func killedHolderIsTakenOverAfterTheTTL() async throws {
            let server = try await RedisServer.start()
            let prefix = "r2"
            let common = [
                "--url", server.url, "--prefix", prefix, "--count", "1", "--only", "drill-0", "--ttl-ms", "1000",
            ]
            let holder = try await ChildProcess.drillHolder(
                common + ["--step-ms", "30000"], server: server, prefix: prefix)
            let waiters = try await ChildProcess.drillWorkers(2, common)
            try await Task.sleep(for: .milliseconds(400))
            #expect(
                try await server.command("LLEN", "\(prefix)-runs:drill-0").int == 1,
                "a waiter ran while the holder lived")

            let reports = try await FaultDrills.killAndExpectTakeover(
                of: "drill-0", holder: holder, waiters: waiters, server: server, prefix: prefix,
                timeToLiveMilliseconds: 1000)
            #expect(reports.map(\.completed.count).sorted() == [0, 1], "exactly one waiter completed it")
            let successor = try #require(waiters.first { WorkerReport($0.outputObjects).completed == ["drill-0"] })
            let record = try #require(try await server.result("\(prefix):drill-0:result"))
            #expect(record.pid == successor.pid)
            #expect(record.fencingToken == 2)
            #expect(try await server.string("\(prefix):drill-0:completed") == "true")
            #expect(try await server.command("EXISTS", "\(prefix):drill-0:lease").int == 0)
        }
    }
}
