import Foundation
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

extension FaultDrills {
    @Suite("R13 pausing and cancelling a backfill from the operator tool", .timeLimit(.minutes(5)))
    struct ControlDrill {
        /// The backfill worker: 20,000 items in batches of 100, 10 ms a batch, a 1.5 s lease (renewed, and
        /// the control read, every 500 ms).
        static func backfill(_ server: RedisServer, prefix: String, journal: String, only: Bool = true) -> [String] {
            [
                "--url", server.url, "--prefix", prefix, "--ttl-ms", "1500", "--backfill", "20000", "--batch", "100",
                "--batch-ms", "10", "--checkpoint-ms", "200", "--record", "journal", "--journal", journal,
            ] + (only ? ["--only", "backfill"] : [])
        }

        static func tool(_ server: RedisServer, _ prefix: String, _ arguments: [String]) async throws
            -> ChildProcess.Outcome
        {
            try await ChildProcess.run(
                "migrations", arguments + ["--redis-url", server.url, "--prefix", prefix], timeout: .seconds(30))
        }

        static func checkpoint(_ server: RedisServer, _ prefix: String) async throws -> MigrationCheckpoint? {
            try await server.command("GET", "\(prefix):backfill:checkpoint").bytes.map {
                try MigrationCheckpoint.decode(from: Data($0))
            }
        }

        /// Proves that `migrations pause` stops a backfill running in another process within a renewal
        /// interval and a batch, with its checkpoint written and its lease released; that `runPending` in a
        /// third process then reports it paused at once, without waiting or running it; and that after
        /// `migrations resume` another process finishes it from the checkpoint, every item exactly once.
        @Test("pause from the operator tool, runPending elsewhere says paused, resume, another process finishes")
        func pauseAndResumeAcrossProcesses() async throws {
            let server = try await RedisServer.start()
            defer { server.stop() }
            let directory = try temporaryDrillDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let journal = directory + "/journal"
            let prefix = "r13"
            let holder = try await ChildProcess.drillWorker(Self.backfill(server, prefix: prefix, journal: journal))
            try await waitUntil("the holder checkpointed 2,000 items", limit: .seconds(60)) {
                (try await Self.checkpoint(server, prefix)?.completed ?? 0) >= 2_000
            }
            let paused = try await Self.tool(
                server, prefix, ["pause", "backfill", "--reason", "replica lag", "--by", "ops"])
            #expect(paused.status == 0, "\(paused)")
            #expect(paused.standardOutput.contains("to pause 'backfill'"), "\(paused.standardOutput)")
            let askedAt = ContinuousClock.now
            #expect(await holder.exitStatus(within: .seconds(20)) == 0, "\(holder.standardError)")
            let stoppedAfter = (holder.exitedAt ?? ContinuousClock.now) - askedAt
            #expect(stoppedAfter < .seconds(3), "the holder took \(stoppedAfter) to stop (TTL/3 = 0.5 s)")
            let report = try #require(holder.outputObjects.first)
            #expect(report["status"] as? String == "paused", "\(holder.standardOutput)")
            #expect((report["control"] as? [String: Any])?["by"] as? String == "ops")

            #expect(try await server.command("EXISTS", "\(prefix):backfill:lease").int == 0, "the lease was released")
            #expect(try await server.command("EXISTS", "\(prefix):backfill:error").int == 0, "a pause is no failure")
            let saved = try #require(try await Self.checkpoint(server, prefix))
            let done = BackfillJournal(path: journal)
            #expect(saved.completed == done.counts.count, "the checkpoint is where the holder stopped")

            let status = try await Self.tool(server, prefix, ["status", "--json"])
            let rows = try MigrationJSON.decoder().decode(
                [MigrationStatusRow].self, from: Data(status.standardOutput.utf8))
            #expect(rows.first?.state == .paused)
            #expect(rows.first?.control?.reason == "replica lag")

            let third = try await ChildProcess.drillWorker(
                Self.backfill(server, prefix: prefix, journal: journal, only: false))
            #expect(await third.exitStatus(within: .seconds(10)) == 0, "\(third.standardError)")
            #expect(third.outputObjects.first?["status"] as? String == "paused")
            #expect(BackfillJournal(path: journal).counts.count == done.counts.count, "runPending ran the paused one")

            let resumed = try await Self.tool(server, prefix, ["resume", "backfill"])
            #expect(resumed.status == 0, "\(resumed)")
            #expect(try await server.command("EXISTS", "\(prefix):backfill:control").int == 0)
            let notPaused = try await Self.tool(server, prefix, ["resume", "backfill"])
            #expect(notPaused.status == 1, "resuming what is not paused is refused: \(notPaused)")

            let finisher = try await ChildProcess.drillWorker(Self.backfill(server, prefix: prefix, journal: journal))
            #expect(await finisher.exitStatus(within: .seconds(60)) == 0, "\(finisher.standardError)")
            let finished = try #require(finisher.outputObjects.first)
            #expect(finished["status"] as? String == "completed")
            #expect((finished["resumedFrom"] as? [String: Any])?["completed"] as? Int == saved.completed)
            let after = BackfillJournal(path: journal)
            #expect(Set(after.counts.keys) == Set(0..<20_000))
            #expect(after.redone.isEmpty, "a pause writes the last position: nothing runs twice")
            #expect(try await server.string("\(prefix):backfill:completed") == "true")
            #expect(try await server.string("\(prefix):backfill:fence") == "2")

            let history = try await Self.tool(server, prefix, ["history", "backfill", "--json"])
            let attempts = try MigrationJSON.decoder().decode(
                [MigrationResult].self, from: Data(history.standardOutput.utf8))
            #expect(attempts.map(\.status) == [.completed, .paused], "newest first: \(history.standardOutput)")
            #expect(attempts.last?.control?.by == "ops")
            #expect(attempts.first?.resumedFrom?.completed == saved.completed)
            let table = try await Self.tool(server, prefix, ["history", "backfill"])
            #expect(table.standardOutput.contains("paused by ops"), "\(table.standardOutput)")
        }

        /// Proves that `migrations cancel` stops a running backfill, recorded as cancelled with who and why,
        /// consumes the request and keeps the checkpoint; and that cancelling a migration that is not
        /// running records it at once.
        @Test("cancel from the operator tool: recorded as cancelled by whom, the checkpoint kept, a later run resumes")
        func cancelAcrossProcesses() async throws {
            let server = try await RedisServer.start()
            defer { server.stop() }
            let directory = try temporaryDrillDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let journal = directory + "/journal"
            let prefix = "r13c"
            let holder = try await ChildProcess.drillWorker(Self.backfill(server, prefix: prefix, journal: journal))
            try await waitUntil("the holder checkpointed 2,000 items", limit: .seconds(60)) {
                (try await Self.checkpoint(server, prefix)?.completed ?? 0) >= 2_000
            }
            let cancelled = try await Self.tool(
                server, prefix, ["cancel", "backfill", "--reason", "wrong column", "--by", "ops"])
            #expect(cancelled.status == 0, "\(cancelled)")
            #expect(await holder.exitStatus(within: .seconds(20)) == 1, "\(holder.standardError)")
            let report = try #require(holder.outputObjects.first)
            #expect(report["failure"] as? String == "cancelled")
            #expect((report["error"] as? String)?.contains("cancelled by ops") == true, "\(report)")
            #expect(
                try await server.command("EXISTS", "\(prefix):backfill:control").int == 0, "the request is consumed")
            #expect(try await server.string("\(prefix):backfill:error")?.contains("wrong column") == true)
            let saved = try #require(try await Self.checkpoint(server, prefix))

            let later = try await ChildProcess.drillWorker(Self.backfill(server, prefix: prefix, journal: journal))
            #expect(await later.exitStatus(within: .seconds(60)) == 0, "\(later.standardError)")
            #expect(
                (later.outputObjects.first?["resumedFrom"] as? [String: Any])?["completed"] as? Int == saved.completed)
            #expect(BackfillJournal(path: journal).counts.count == 20_000)

            _ = try await server.command("SET", "\(prefix):idle:error", "boom")
            let idle = try await Self.tool(server, prefix, ["cancel", "idle", "--by", "ops"])
            #expect(idle.status == 0, "\(idle)")
            let failure = try #require(try await server.result("\(prefix):idle:failure"))
            #expect(failure.failure == .cancelled)
            #expect(failure.control?.by == "ops")
        }
    }
}
