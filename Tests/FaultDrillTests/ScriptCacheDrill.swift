import Foundation
import Migrations
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Synchronization
import Testing

extension FaultDrills {
    @Suite("R5 script cache flushed", .timeLimit(.minutes(5)))
    struct ScriptCacheDrill {
        /// Proves that the Lua scripts behind acquire, complete and release survive losing the server's
        /// script cache, by `SCRIPT FLUSH` and by a restart, between calls: the `NOSCRIPT` reply is answered
        /// by sending the script source (`EVAL` calls go up), the calls succeed, and nothing runs twice.
        @Test(
            "SCRIPT FLUSH and a restart between calls: NOSCRIPT is handled and nothing runs twice",
            .timeLimit(.minutes(1)))
        func flushAndRestartBetweenCalls() async throws {
            let server = try await RedisServer.start(configuration: .init(appendOnly: true))
            let names = ["a", "b", "c", "d"]
            let harness = try await DrillHarness.start(
                names.map { countingMigration($0) }, on: server, prefix: "r5")
            let runner = harness.runner
            #expect(try await runner.run("a", context: harness.context).status == .completed)

            try await server.command("SCRIPT", "FLUSH")
            let evalsBefore = try await server.calls(of: "eval")
            #expect(try await runner.run("a", context: harness.context).status == .skipped)
            #expect(try await runner.run("b", context: harness.context).status == .completed)
            #expect(try await server.calls(of: "eval") > evalsBefore, "the NOSCRIPT fallback was never taken")

            try await server.restart()
            // The first call on each connection opened before the restart fails with a transport error.
            var results: [MigrationResult] = []
            for _ in 0..<4 where results.map(\.name) != ["c", "d"] {
                do {
                    results = try await runner.runPending(context: harness.context)
                } catch let error as MigrationError {
                    #expect((error.cause as? RedisError)?.isTransport == true, "not a transport failure: \(error)")
                }
            }
            #expect(results.map(\.status) == [.completed, .completed])
            #expect(try await server.calls(of: "eval") >= 1, "after the restart the scripts were sent again")
            for name in names {
                let executions = try await harness.context.executions(of: name)
                #expect(executions == 1, "\(name) ran \(executions) times")
            }
        }

        /// Proves that four processes racing through 100 migrations while another client flushes the script
        /// cache every 2 ms still run each migration exactly once.
        @Test(
            "four processes racing while the script cache is flushed every 2 ms run each migration once",
            .timeLimit(.minutes(1)))
        func flushStormDuringARace() async throws {
            let server = try await RedisServer.start()
            let prefix = "r5-storm"
            let flusher = try await server.connect()
            let stop = Atomic<Bool>(false)
            let flushes = Task {
                var count = 0
                while !stop.load(ordering: .relaxed) {
                    _ = try? await flusher.send(["SCRIPT", "FLUSH"])
                    count += 1
                    try? await Task.sleep(for: .milliseconds(2))
                }
                return count
            }
            let workers = try await ChildProcess.drillWorkers(
                4,
                [
                    "--url", server.url, "--prefix", prefix, "--count", "100", "--ttl-ms", "5000",
                ])
            for worker in workers {
                #expect(await worker.exitStatus(within: .seconds(60)) == 0, "worker failed: \(worker.standardError)")
            }
            stop.store(true, ordering: .relaxed)
            let flushCount = await flushes.value
            #expect(flushCount > 10)
            #expect(try await server.calls(of: "eval") > 0)
            let counts = try await flusher.pipeline((0..<100).map { ["GET", "\(prefix)-count:drill-\($0)"] })
            #expect(counts.allSatisfy { $0.string == "1" }, "executions: \(counts.map { $0.string ?? "0" })")
        }
    }
}
