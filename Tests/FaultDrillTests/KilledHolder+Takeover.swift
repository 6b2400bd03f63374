import Foundation
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension FaultDrills {
    /// Kills `holder` with `SIGKILL` while it runs the `up` of `name`, waits for `waiters` to exit, and
    /// checks the takeover: exactly one successor ran `name` again, not before the lease expired and
    /// within the TTL plus one second of the kill, with the next fencing token.
    ///
    /// - Returns: What each waiter reported, in order.
    static func killAndExpectTakeover(
        of name: String, holder: ChildProcess, waiters: [ChildProcess], server: RedisServer, prefix: String,
        timeToLiveMilliseconds: Int
    ) async throws -> [WorkerReport] {
        holder.signal(SIGKILL)
        let killedAt = try await server.milliseconds()
        let leaseLeft = try await server.command("PTTL", "\(prefix):\(name):lease").int ?? 0
        _ = await holder.exitStatus(within: .seconds(5))
        #expect(leaseLeft > 0, "the lease had already expired when the holder was killed")

        var reports: [WorkerReport] = []
        for waiter in waiters {
            #expect(await waiter.exitStatus(within: .seconds(20)) == 0, "a waiter failed: \(waiter.standardError)")
            reports.append(WorkerReport(waiter.outputObjects))
        }
        let runs = (try await server.command("LRANGE", "\(prefix)-runs:\(name)", "0", "-1").array ?? []).compactMap(
            \.string)
        #expect(runs.count == 2, "the holder's run and exactly one successor's: \(runs)")
        let takeoverAt = Int(runs.last?.split(separator: " ").last ?? "0") ?? 0
        #expect(
            takeoverAt >= killedAt + Int(leaseLeft) - 20,
            "taken over \(killedAt + Int(leaseLeft) - takeoverAt) ms before the lease expired")
        #expect(
            takeoverAt <= killedAt + timeToLiveMilliseconds + 1000,
            "taken over \(takeoverAt - killedAt) ms after the kill")
        #expect(try await server.string("\(prefix):\(name):fence") == "2")
        return reports
    }
}
