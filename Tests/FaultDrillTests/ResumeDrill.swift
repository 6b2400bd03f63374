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

/// What a backfill journal says: how many times each item was processed, and by which process.
struct BackfillJournal {
    var counts: [Int: Int] = [:]
    var byProcess: [Int32: [Int]] = [:]

    init(path: String) {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let item = Int(fields[0]), let pid = Int32(fields[1]) else { continue }
            counts[item, default: 0] += 1
            byProcess[pid, default: []].append(item)
        }
    }

    /// Items processed more than once.
    var redone: Set<Int> { Set(counts.filter { $0.value > 1 }.keys) }
}

extension FaultDrills {
    @Suite("R12 resuming a backfill from its checkpoint", .timeLimit(.minutes(5)))
    struct ResumeDrill {
        static let total = 20_000

        /// The backfill's worker arguments: 20,000 items in batches of 100, 10 ms a batch, a checkpoint
        /// written at most every 200 ms.
        static func backfill(_ place: [String], journal: String, extra: [String] = []) -> [String] {
            place + [
                "--backfill", String(total), "--batch", "100", "--batch-ms", "10", "--checkpoint-ms", "200",
                "--only", "backfill", "--record", "journal", "--journal", journal,
            ] + extra
        }

        /// Kills the holder with SIGKILL mid-backfill, then checks what the next process did: it resumed at
        /// the last written checkpoint, every item was processed, the items processed twice are exactly
        /// those the killed process did after that checkpoint, and the completion is recorded once.
        func killAndResume(
            place: [String], readCheckpoint: () async throws -> MigrationCheckpoint?, journal: String
        ) async throws -> (checkpoint: MigrationCheckpoint, redone: Int, result: [String: Any]) {
            let first = try await ChildProcess.drillWorker(Self.backfill(place, journal: journal))
            try await waitUntil("the first process checkpointed 5,000 items", limit: .seconds(60)) {
                (try await readCheckpoint()?.completed ?? 0) >= 5_000
            }
            first.signal(SIGKILL)
            _ = await first.exitStatus(within: .seconds(5))
            let checkpoint = try #require(try await readCheckpoint())
            let before = BackfillJournal(path: journal)
            let doneByFirst = before.byProcess[first.pid] ?? []
            #expect(doneByFirst == Array(0..<doneByFirst.count), "the first process went in order")
            #expect(checkpoint.completed <= doneByFirst.count)
            #expect(try checkpoint.cursor(as: Int.self) == checkpoint.completed)

            let second = try await ChildProcess.drillWorker(Self.backfill(place, journal: journal))
            #expect(await second.exitStatus(within: .seconds(60)) == 0, "the second failed: \(second.standardError)")
            let after = BackfillJournal(path: journal)
            #expect(after.counts.count == Self.total, "every item was processed")
            #expect(Set(after.counts.keys) == Set(0..<Self.total))
            #expect(
                after.redone == Set(checkpoint.completed..<doneByFirst.count),
                "only the items after the last written checkpoint ran twice")
            #expect(after.counts.values.allSatisfy { $0 <= 2 })
            let result = try #require(second.outputObjects.first)
            #expect(result["status"] as? String == "completed")
            #expect(result["attempts"] as? Int == 2)
            #expect(result["recordsProcessed"] as? Int == Self.total)
            let resumed = try #require(result["resumedFrom"] as? [String: Any])
            #expect(resumed["completed"] as? Int == checkpoint.completed)
            return (checkpoint, after.redone.count, result)
        }

        @Test("Redis: kill -9 mid-backfill; the next process resumes at the checkpoint, redoing only what followed it")
        func killedHolderResumesOnRedis() async throws {
            let server = try await RedisServer.start()
            defer { server.stop() }
            let directory = try temporaryDrillDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let outcome = try await killAndResume(
                place: ["--url", server.url, "--prefix", "r12", "--ttl-ms", "1000"],
                readCheckpoint: {
                    try await server.command("GET", "r12:backfill:checkpoint").bytes.map {
                        try MigrationCheckpoint.decode(from: Data($0))
                    }
                },
                journal: directory + "/journal")
            #expect(outcome.redone <= 2_000 + 200, "redone \(outcome.redone): more than one interval's worth")
            #expect(try await server.string("r12:backfill:completed") == "true")
            #expect(try await server.command("EXISTS", "r12:backfill:checkpoint").int == 0)
            #expect(try await server.string("r12:backfill:fence") == "2")
            let record = try #require(try await server.result("r12:backfill:result"))
            #expect(record.resumedFrom?.completed == outcome.checkpoint.completed)
        }

        @Test("files: kill -9 mid-backfill; the next process resumes at the checkpoint, redoing only what followed it")
        func killedHolderResumesOnFiles() async throws {
            let directory = try temporaryDrillDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let state = directory + "/state"
            let outcome = try await killAndResume(
                place: ["--state-dir", state],
                readCheckpoint: {
                    guard let data = FileManager.default.contents(atPath: state + "/backfill.checkpoint") else {
                        return nil
                    }
                    return try MigrationCheckpoint.decode(from: data)
                },
                journal: directory + "/journal")
            #expect(outcome.redone <= 2_000 + 200, "redone \(outcome.redone): more than one interval's worth")
            #expect(FileManager.default.fileExists(atPath: state + "/backfill.done"))
            #expect(!FileManager.default.fileExists(atPath: state + "/backfill.checkpoint"))
        }

        /// A holder frozen past its TTL while another takes over and advances the checkpoint: resumed, it
        /// stops with lease lost, its saves are refused, and the stored checkpoint stays the successor's.
        @Test("a holder stalled past its TTL cannot move the checkpoint behind the one that took over")
        func stalledHolderCannotMoveTheCheckpoint() async throws {
            let server = try await RedisServer.start()
            defer { server.stop() }
            let directory = try temporaryDrillDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let journal = directory + "/journal"
            func checkpoint() async throws -> MigrationCheckpoint? {
                try await server.command("GET", "r12s:backfill:checkpoint").bytes.map {
                    try MigrationCheckpoint.decode(from: Data($0))
                }
            }
            let place = ["--url", server.url, "--prefix", "r12s", "--ttl-ms", "1000"]
            let slow = ["--batch-ms", "30"]
            let stale = try await ChildProcess.drillWorker(Self.backfill(place, journal: journal) + slow)
            try await waitUntil("the first holder checkpointed 1,000 items", limit: .seconds(60)) {
                (try await checkpoint()?.completed ?? 0) >= 1_000
            }
            stale.signal(SIGSTOP)
            let frozenAt = try #require(try await checkpoint())

            let successor = try await ChildProcess.drillWorker(Self.backfill(place, journal: journal) + slow)
            try await waitUntil("the successor advanced the checkpoint", limit: .seconds(30)) {
                guard let current = try await checkpoint() else { return false }
                return current.fencingToken == 2 && current.completed > frozenAt.completed
            }
            stale.signal(SIGCONT)
            #expect(await stale.exitStatus(within: .seconds(20)) == 1, "the stale holder: \(stale.standardError)")
            let staleResult = try #require(stale.outputObjects.first)
            #expect(staleResult["failure"] as? String == "lease-lost", "\(stale.standardOutput)")
            let stored = try #require(try await checkpoint(), "the successor completed before the check")
            #expect(stored.fencingToken == 2, "the stale holder moved the checkpoint: \(stored.summary)")
            #expect(stored.pid == successor.pid)

            #expect(await successor.exitStatus(within: .seconds(60)) == 0, "\(successor.standardError)")
            let record = try #require(try await server.result("r12s:backfill:result"))
            #expect(record.pid == successor.pid)
            #expect(record.fencingToken == 2)
            #expect(BackfillJournal(path: journal).counts.count == Self.total)
        }
    }
}

func temporaryDrillDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("drill-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
