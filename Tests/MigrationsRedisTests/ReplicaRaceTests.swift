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

/// Real processes (the `MigrationsTestWorker` executable) racing on one real Redis.
@Suite("Replicas racing on Redis", .serialized, .timeLimit(.minutes(5)))
struct ReplicaRaceTests {
    /// A `MigrationsTestWorker` replica running `race-0` … `race-<count-1>`; each `up` INCRs
    /// `migration-count:<name>` and RPUSHes `migration-runs:<name>` with its pid and the server's time.
    private func worker(_ server: RedisServer, count: Int, extra: [String] = []) async throws -> ChildProcess {
        try await ChildProcess.launch(
            "MigrationsTestWorker", ["--url", server.url, "--count", "\(count)", "--stem", "race"] + extra)
    }

    private func counts(_ server: RedisServer, count: Int) async throws -> [Int] {
        let connection = try await server.connect()
        let replies = try await connection.pipeline((0..<count).map { ["GET", "migration-count:race-\($0)"] })
        return replies.map { Int($0.string ?? "0") ?? 0 }
    }

    @Test("8 processes running the same 50 migrations run each exactly once, and all end completed")
    func eightProcessesRunEachOnce() async throws {
        let server = try await RedisServer.start()
        var workers: [ChildProcess] = []
        for _ in 0..<8 { workers.append(try await worker(server, count: 50, extra: ["--step-ms", "2"])) }
        for worker in workers {
            let workerOutcome = try await worker.wait()
            #expect(workerOutcome.status == 0, "worker failed: \(workerOutcome)")
        }
        #expect(try await counts(server, count: 50) == Array(repeating: 1, count: 50))
        let completed = try await server.command("KEYS", "migration:race-*:completed").array ?? []
        #expect(completed.count == 50)
        #expect((try await server.command("KEYS", "migration:race-*:lease").array ?? []).isEmpty)
    }

    @Test("a holder killed with SIGKILL mid-up is taken over after its TTL, not before; one record")
    func killedHolderIsTakenOverAfterTheTTL() async throws {
        let server = try await RedisServer.start()
        let holder = try await worker(server, count: 1, extra: ["--ttl-ms", "1000", "--step-ms", "30000"])
        try await waitUntil("the holder takes the lease") {
            try await server.command("EXISTS", "migration:race-0:lease").int == 1
        }
        try await Task.sleep(for: .milliseconds(200))
        holder.signal(SIGKILL)
        let killedAt = try await serverMilliseconds(server)
        let leaseLeft = try await server.command("PTTL", "migration:race-0:lease").int ?? 0
        _ = try await holder.wait()

        let successor = try await worker(server, count: 1, extra: ["--ttl-ms", "1000"])
        let successorOutcome = try await successor.wait()
        #expect(successorOutcome.status == 0, "successor failed: \(successorOutcome)")

        let runs =
            try await server.command("LRANGE", "migration-runs:race-0", "0", "-1").array?.compactMap(\.string) ?? []
        #expect(runs.count == 2)
        let takeover = Int(runs.last?.split(separator: " ").last ?? "0") ?? 0
        #expect(takeover >= killedAt + Int(leaseLeft) - 50, "taken over before the lease expired")
        let result = try MigrationResult.decode(
            from: Data(try #require(try await server.command("GET", "migration:race-0:result").bytes)))
        #expect(result.pid == successor.pid)
        #expect(result.fencingToken == 2)
        #expect(try await server.command("GET", "migration:race-0:completed").string == "true")
    }

    @Test("a holder stalled past its TTL is refused when it resumes: lease lost, the record is the new holder's")
    func stalledHolderIsFencedOff() async throws {
        let server = try await RedisServer.start()
        let stale = try await worker(server, count: 1, extra: ["--ttl-ms", "1000", "--step-ms", "1500"])
        try await waitUntil("the holder takes the lease") {
            try await server.command("EXISTS", "migration:race-0:lease").int == 1
        }
        stale.signal(SIGSTOP)
        let successor = try await worker(server, count: 1, extra: ["--ttl-ms", "1000"])
        let successorOutcome = try await successor.wait()
        #expect(successorOutcome.status == 0, "successor failed: \(successorOutcome)")
        stale.signal(SIGCONT)
        #expect(try await stale.wait().status == 1)
        let staleOutput = stale.standardOutput
        #expect(staleOutput.contains("\"failure\":\"lease-lost\""), "stale holder said: \(staleOutput)")

        let result = try MigrationResult.decode(
            from: Data(try #require(try await server.command("GET", "migration:race-0:result").bytes)))
        #expect(result.pid == successor.pid)
        #expect(try await server.command("GET", "migration:race-0:fence").string == "2")
        #expect(try await server.command("GET", "migration:race-0:error").isNull)
    }

    private func serverMilliseconds(_ server: RedisServer) async throws -> Int {
        let time = try await server.command("TIME").array ?? []
        return (Int(time.first?.string ?? "0") ?? 0) * 1000 + (Int(time.last?.string ?? "0") ?? 0) / 1000
    }
}
