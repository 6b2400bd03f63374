import Foundation
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

extension FaultDrills {
    @Suite("R1 exactly once across a fleet", .timeLimit(.minutes(5)))
    struct ExactlyOnceDrill {
        /// Proves that 8 real processes racing through the same 200 migrations, five rounds over on fresh
        /// key prefixes, run every migration exactly once: each `up` counts its own executions in Redis and
        /// every count is 1, exactly one process reports each migration completed, every migration ends with
        /// its completion marker, and no lease is left behind.
        @Test("8 processes × 200 migrations × 5 rounds: every migration runs exactly once", .timeLimit(.minutes(2)))
        func everyMigrationRunsExactlyOnce() async throws {
            let server = try await RedisServer.start()
            let counter = try await server.connect()
            let migrationCount = 200
            for round in 0..<5 {
                let prefix = "r1-round-\(round)"
                let workers = try await ChildProcess.drillWorkers(
                    8,
                    [
                        "--url", server.url, "--prefix", prefix, "--count", "\(migrationCount)", "--ttl-ms", "5000",
                    ])
                var reportedCompleted: [String: Int] = [:]
                for worker in workers {
                    let status = await worker.exitStatus(within: .seconds(60))
                    let ended = "round \(round): worker \(worker.pid) ended \(String(describing: status))"
                    #expect(status == 0, "\(ended): \(worker.standardError)")
                    for name in WorkerReport(worker.outputObjects).completed {
                        reportedCompleted[name, default: 0] += 1
                    }
                }
                let names = (0..<migrationCount).map { "drill-\($0)" }
                let counts = try await counter.pipeline(names.map { ["GET", "\(prefix)-count:\($0)"] })
                    .map { Int($0.string ?? "0") ?? 0 }
                let wrong = zip(names, counts).filter { $0.1 != 1 }
                #expect(wrong.isEmpty, "round \(round): executions other than 1: \(wrong.prefix(10))")
                #expect(
                    names.allSatisfy { reportedCompleted[$0] == 1 },
                    "round \(round): completions reported \(reportedCompleted.filter { $0.value != 1 })")
                #expect(try await server.keys("\(prefix):*:completed").count == migrationCount)
                #expect(try await server.keys("\(prefix):*:lease").isEmpty, "round \(round): a lease was left behind")
            }
        }
    }
}
