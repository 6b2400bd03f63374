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

extension FaultDrills {
    @Suite("R3 holder stalled past its TTL", .timeLimit(.minutes(5)))
    struct StalledHolderDrill {
        /// Proves that a holder frozen with `SIGSTOP` for more than its TTL, and resumed while the replica
        /// that took over is still running, is fenced off: it reports `lease-lost` and exits with a
        /// failure, its completion is refused (the record is the new holder's, the fence went from 1 to 2),
        /// and it neither releases nor disturbs the new holder's lease on its way out.
        @Test(
            "a stalled holder resumed mid-takeover is refused: lease lost; the record and lease stay the new holder's",
            .timeLimit(.minutes(1)))
        func stalledHolderIsFencedOff() async throws {
            let server = try await RedisServer.start()
            let prefix = "r3"
            let common = [
                "--url", server.url, "--prefix", prefix, "--count", "1", "--only", "drill-0", "--ttl-ms", "1000",
            ]
            let stale = try await ChildProcess.drillHolder(
                common + ["--step-ms", "1500"], server: server, prefix: prefix)
            #expect(try await server.string("\(prefix):drill-0:fence") == "1")
            stale.signal(SIGSTOP)

            let successor = try await ChildProcess.drillWorker(common + ["--step-ms", "2500"])
            try await waitUntil("the successor runs up") {
                try await server.command("LLEN", "\(prefix)-runs:drill-0").int == 2
            }
            let leaseBefore = try #require(try await server.command("GET", "\(prefix):drill-0:lease").bytes)
            let newHolder = try #require(RedisLeaseValue.decode(leaseBefore))
            #expect(newHolder.pid == successor.pid)
            #expect(newHolder.fencingToken == 2)

            stale.signal(SIGCONT)
            #expect(
                await stale.exitStatus(within: .seconds(10)) == 1,
                "the stale holder should fail: \(stale.standardError)")
            let staleResult = try #require(stale.outputObjects.first)
            #expect(staleResult["failure"] as? String == "lease-lost", "the stale holder said: \(stale.standardOutput)")
            #expect((staleResult["error"] as? String)?.contains("lease lost") == true)
            let leaseAfter = try #require(try await server.command("GET", "\(prefix):drill-0:lease").bytes)
            #expect(
                RedisLeaseValue.decode(leaseAfter)?.token == newHolder.token, "the stale holder touched the new lease")

            #expect(
                await successor.exitStatus(within: .seconds(10)) == 0,
                "the successor failed: \(successor.standardError)")
            let record = try #require(try await server.result("\(prefix):drill-0:result"))
            #expect(record.pid == successor.pid)
            #expect(record.fencingToken == 2)
            #expect(try await server.string("\(prefix):drill-0:fence") == "2")
            #expect(try await server.string("\(prefix):drill-0:completed") == "true")
            #expect(try await server.string("\(prefix):drill-0:error") == nil)
        }
    }
}
