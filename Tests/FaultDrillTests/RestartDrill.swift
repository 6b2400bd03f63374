import Foundation
import Migrations
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension FaultDrills {
    @Suite("R4 Redis restarted mid-run", .timeLimit(.minutes(5)))
    struct RestartDrill {
        /// Proves that when Redis (appendonly yes, appendfsync always) crashes with `SIGKILL` and restarts
        /// while four workers are running migrations:
        /// - no completion that a worker was told about is lost: every migration a worker reported
        ///   completed, and every marker seen just before the crash, is still there after the restart;
        /// - the workers reconnect and finish, or fail with a clear error, within a bounded time (none hangs);
        /// - in the end every migration is completed, no two processes both record a completion for the same
        ///   migration, and a migration whose `up` ran more than once had a failed attempt reported for each
        ///   extra run (nothing completed is ever run again).
        ///
        /// - no lease is left behind, once every worker has finished.
        ///
        /// The workers run each migration with `run(name)`, or all of them with `runPending`, which takes
        /// each next lease with the completion before it: the crash then loses replies that carry both.
        /// Executions are journaled to a local file, which survives the crash.
        @Test(
            "a Redis crash and restart mid-run loses no acknowledged completion, and every worker finishes",
            .timeLimit(.minutes(2)), arguments: WorkerMode.allCases)
        func restartLosesNoAcknowledgedCompletion(mode: WorkerMode) async throws {
            let server = try await RedisServer.start(configuration: .init(appendOnly: true))
            let prefix = "r4-\(mode)"
            let migrationCount = 120
            let journal = NSTemporaryDirectory() + "r4-journal-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: journal) }
            let workers = try await ChildProcess.drillWorkers(
                4,
                [
                    "--url", server.url, "--prefix", prefix, "--count", "\(migrationCount)", "--ttl-ms", "2000",
                    "--step-ms", "10", "--attempts", "30", "--command-timeout-ms", "1000",
                    "--record", "journal", "--journal", journal,
                ] + mode.flags)
            try await waitUntil("a third of the migrations completed", limit: .seconds(30)) {
                try await server.keys("\(prefix):*:completed").count >= migrationCount / 3
            }
            let seenBeforeCrash = Set(try await server.keys("\(prefix):*:completed"))
            server.signal(SIGKILL)
            try await waitUntil("the server process is gone", limit: .seconds(5)) { !server.isRunning }
            try await Task.sleep(for: .milliseconds(300))
            try await server.restart()

            let survivors = Set(try await server.keys("\(prefix):*:completed"))
            #expect(
                seenBeforeCrash.isSubset(of: survivors),
                "lost after the crash: \(seenBeforeCrash.subtracting(survivors))")

            var reports: [WorkerReport] = []
            for worker in workers {
                let status = await worker.exitStatus(within: .seconds(60))
                #expect(status != nil, "worker \(worker.pid) hung")
                #expect(
                    status == 0, "worker \(worker.pid) ended \(String(describing: status)): \(worker.standardError)")
                reports.append(WorkerReport(worker.outputObjects))
            }
            for report in reports {
                for error in report.errors {
                    #expect(
                        error.message.contains("\(prefix):") || error.message.contains("127.0.0.1"),
                        "an unclear error: \(error.message)")
                }
            }

            let names = (0..<migrationCount).map { "drill-\($0)" }
            let acknowledged = reports.flatMap(\.completed)
            for name in Set(acknowledged) {
                #expect(
                    try await server.string("\(prefix):\(name):completed") == "true",
                    "\(name) was reported completed but its marker is gone")
            }
            for name in names {
                #expect(try await server.string("\(prefix):\(name):completed") == "true", "\(name) never completed")
            }
            let completions = Dictionary(grouping: acknowledged, by: { $0 }).mapValues(\.count)
            #expect(
                completions.values.allSatisfy { $0 == 1 },
                "recorded completed twice: \(completions.filter { $0.value > 1 })")

            let executions = Dictionary(
                grouping: ((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").split(separator: "\n"),
                by: { String($0.split(separator: " ").first ?? "") }
            ).mapValues(\.count)
            let failures = Dictionary(grouping: reports.flatMap(\.failed).map(\.name), by: { $0 }).mapValues(\.count)
            for name in names {
                let ran = executions[name] ?? 0
                #expect(ran >= 1, "\(name) completed without its up running")
                #expect(
                    ran <= 1 + (failures[name] ?? 0),
                    "\(name) ran \(ran) times with \(failures[name] ?? 0) failed attempts")
            }
            let reruns = names.filter { (executions[$0] ?? 0) > 1 }
            let unrecorded = reports.flatMap(\.failed).filter { $0.error.contains("could not be recorded") }
            let firstError = unrecorded.first?.error ?? ""
            #expect(
                reruns.isEmpty && unrecorded.isEmpty,
                "re-ran \(reruns) after \(unrecorded.count) unrecorded completions: \(firstError)"
            )
            #expect(try await server.keys("\(prefix):*:lease").isEmpty, "leases left behind")

        }
    }
}

extension FaultDrills.RestartDrill {
    /// How the drill's workers run their migrations.
    enum WorkerMode: String, CaseIterable, CustomStringConvertible {
        /// Each with `run(name)`, retried.
        case oneByOne = "one-by-one"
        /// All with `runPending`, run again while one fails.
        case runPending = "run-pending"

        var flags: [String] { self == .oneByOne ? ["--one-by-one"] : [] }
        var description: String { rawValue }
    }
}
