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
    @Suite("R14 one sharded backfill across the fleet", .timeLimit(.minutes(5)))
    struct ShardDrill {
        static let total = 64_000
        static let shards = 64

        /// The worker arguments of the sharded backfill: 64,000 items in 64 shards, batches of 100.
        static func arguments(_ server: RedisServer, prefix: String, journal: String, extra: [String]) -> [String] {
            [
                "--url", server.url, "--prefix", prefix, "--backfill", String(total), "--shards", String(shards),
                "--batch", "100", "--only", "backfill", "--record", "journal", "--journal", journal,
            ] + extra
        }

        /// The attempts each shard's `up` recorded: `(pid, fencing token)` in order.
        static func shardRuns(_ server: RedisServer, prefix: String) async throws -> [Int: [(pid: Int32, fence: Int)]] {
            var runs: [Int: [(pid: Int32, fence: Int)]] = [:]
            for shard in 0..<shards {
                let entries = try await server.command("LRANGE", "\(prefix)-shard-runs:\(shard)", "0", "-1").array ?? []
                runs[shard] = entries.compactMap(\.string).compactMap { entry in
                    let fields = entry.split(separator: " ")
                    guard fields.count == 2, let pid = Int32(fields[0]), let fence = Int(fields[1]) else { return nil }
                    return (pid, fence)
                }
            }
            return runs
        }

        /// The pids holding a shard lease now.
        static func holders(_ server: RedisServer, prefix: String) async throws -> [Int32: Int] {
            var holders: [Int32: Int] = [:]
            for key in try await server.keys("\(prefix):backfill:shard:*:lease") {
                guard let raw = try await server.command("GET", key).bytes,
                    let object = try JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any],
                    let pid = object["pid"] as? Int,
                    let shard = Int(key.split(separator: ":").dropLast().last ?? "")
                else { continue }
                holders[Int32(pid)] = shard
            }
            return holders
        }

        /// Checks what every sharded run must leave: every item processed, the completion recorded once with
        /// all 64,000 records, the shard markers and checkpoints gone, each fence equal to its acquisitions.
        static func checkCompletion(_ server: RedisServer, prefix: String, journal: BackfillJournal) async throws {
            #expect(Set(journal.counts.keys) == Set(0..<total), "every item was processed")
            #expect(try await server.string("\(prefix):backfill:completed") == "true")
            let result = try #require(try await server.result("\(prefix):backfill:result"))
            #expect(result.recordsProcessed == total)
            #expect(result.shardCount == shards)
            #expect(try await server.command("LLEN", "\(prefix):backfill:history").int == 1, "completion recorded once")
            #expect(try await server.keys("\(prefix):backfill:shard:*:completed").isEmpty)
            #expect(try await server.keys("\(prefix):backfill:shard:*:checkpoint").isEmpty)
            #expect(try await server.keys("\(prefix):backfill:shard:*:lease").isEmpty, "no lease left behind")
            let runs = try await shardRuns(server, prefix: prefix)
            for shard in 0..<shards {
                let fence = try await server.string("\(prefix):backfill:shard:\(shard):fence")
                let attempts = runs[shard] ?? []
                #expect(
                    fence == String(attempts.count),
                    "shard \(shard): fence \(fence ?? "none"), \(attempts.count) attempts")
                #expect(attempts.map(\.fence) == Array(1...max(1, attempts.count)), "shard \(shard)'s fences ascend")
            }
        }

        @Test("8 processes, 64 shards, 64,000 items: every item once, every fence once, the completion once")
        func eightProcessesShareTheShards() async throws {
            let server = try await RedisServer.start()
            defer { server.stop() }
            let directory = try temporaryDrillDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let journal = directory + "/journal"
            let workers = try await ChildProcess.drillWorkers(
                8, Self.arguments(server, prefix: "r14", journal: journal, extra: ["--batch-ms", "5"]))
            for worker in workers {
                #expect(await worker.exitStatus(within: .seconds(120)) == 0, "\(worker.standardError)")
            }
            let record = BackfillJournal(path: journal)
            #expect(record.redone.isEmpty, "items processed twice: \(record.redone.sorted().prefix(10))")
            try await Self.checkCompletion(server, prefix: "r14", journal: record)

            let results = workers.compactMap { $0.outputObjects.first }
            #expect(results.count == 8)
            #expect(results.allSatisfy { ["completed", "skipped"].contains($0["status"] as? String) }, "\(results)")
            let byWorker = results.map { ($0["shardsRun"] as? [Int]) ?? [] }
            #expect(byWorker.flatMap { $0 }.sorted() == Array(0..<Self.shards), "each shard run by one process")
            #expect(byWorker.filter { !$0.isEmpty }.count >= 2, "the fleet shared the shards: \(byWorker)")
            let runs = try await Self.shardRuns(server, prefix: "r14")
            #expect(runs.values.allSatisfy { $0.count == 1 }, "every shard acquired once")
            let completion = try #require(try await server.result("r14:backfill:result"))
            let completer = try #require(workers.firstIndex { $0.pid == completion.pid }, "completed by a worker")
            #expect(!byWorker[completer].isEmpty, "the completion was written by a holder of a shard")
        }

        @Test("kill -9 two holders mid-shard: their shards are taken over after the TTL and resumed; totals exact")
        func killedHoldersShardsAreTakenOver() async throws {
            let server = try await RedisServer.start()
            defer { server.stop() }
            let directory = try temporaryDrillDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let journal = directory + "/journal"
            let arguments = Self.arguments(
                server, prefix: "r14k", journal: journal,
                extra: ["--batch-ms", "20", "--ttl-ms", "2000", "--checkpoint-ms", "100"])
            let workers = try await ChildProcess.drillWorkers(4, arguments)
            var victims: [Int32: Int] = [:]
            try await waitUntil("two workers hold shards past their first checkpoint", limit: .seconds(60)) {
                let holders = try await Self.holders(server, prefix: "r14k")
                var ready: [Int32: Int] = [:]
                for (pid, shard) in holders {
                    let raw = try await server.command("GET", "r14k:backfill:shard:\(shard):checkpoint").bytes
                    if let raw, let checkpoint = try? MigrationCheckpoint.decode(from: Data(raw)),
                        checkpoint.pid == pid, checkpoint.completed >= 200
                    {
                        ready[pid] = shard
                    }
                }
                guard ready.count >= 2 else { return false }
                victims = Dictionary(uniqueKeysWithValues: ready.sorted { $0.key < $1.key }.prefix(2).map { $0 })
                return true
            }
            for worker in workers where victims[worker.pid] != nil { worker.signal(SIGKILL) }
            for worker in workers {
                let status = await worker.exitStatus(within: .seconds(120))
                if victims[worker.pid] == nil { #expect(status == 0, "\(worker.standardError)") }
            }
            let record = BackfillJournal(path: journal)
            try await Self.checkCompletion(server, prefix: "r14k", journal: record)
            let runs = try await Self.shardRuns(server, prefix: "r14k")
            for (pid, shard) in victims {
                let attempts = runs[shard] ?? []
                #expect(attempts.count == 2, "shard \(shard) was taken over once: \(attempts)")
                #expect(attempts.first?.pid == pid)
                #expect(attempts.last.map { victims[$0.pid] == nil } == true, "taken over by a survivor")
            }
            let victimShards = Set(victims.values)
            for (shard, attempts) in runs where !victimShards.contains(shard) {
                #expect(attempts.count == 1, "shard \(shard), not killed, ran once: \(attempts)")
            }
            let redone = record.redone
            let slices = victimShards.map { MigrationShard(index: $0, count: Self.shards).slice(of: 0..<Self.total) }
            #expect(redone.allSatisfy { item in slices.contains { $0.contains(item) } }, "only killed shards redo")
            #expect(redone.count <= 2 * 300, "redone \(redone.count): more than the redo window of two shards")
            #expect(record.counts.values.allSatisfy { $0 <= 2 })
        }

        @Test("a holder frozen past its TTL cannot move its shard's checkpoint or mark the shard done")
        func stalledShardHolderIsFenced() async throws {
            let server = try await RedisServer.start()
            defer { server.stop() }
            let directory = try temporaryDrillDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let journal = directory + "/journal"
            func checkpoint() async throws -> MigrationCheckpoint? {
                try await server.command("GET", "r14s:backfill:shard:0:checkpoint").bytes.map {
                    try MigrationCheckpoint.decode(from: Data($0))
                }
            }
            let arguments = [
                "--url", server.url, "--prefix", "r14s", "--backfill", "4000", "--shards", "2", "--batch", "50",
                "--batch-ms", "30", "--ttl-ms", "1000", "--checkpoint-ms", "100", "--only", "backfill",
                "--record", "journal", "--journal", journal,
            ]
            let stale = try await ChildProcess.drillWorker(arguments)
            try await waitUntil("the first holder checkpointed shard 0", limit: .seconds(60)) {
                (try await checkpoint()?.completed ?? 0) >= 300
            }
            stale.signal(SIGSTOP)
            let frozenAt = try #require(try await checkpoint())

            let successor = try await ChildProcess.drillWorker(arguments)
            try await waitUntil("the successor took shard 0 over and advanced it", limit: .seconds(60)) {
                guard let current = try await checkpoint() else {
                    // Shard 0's checkpoint is gone once it is done: done by the successor, fence 2.
                    let fence = try await server.string("r14s:backfill:shard:0:fence")
                    let result = try await server.result("r14s:backfill:shard:0:result")
                    return fence == "2" && result?.fencingToken == 2
                }
                return current.fencingToken == 2 && current.completed > frozenAt.completed
            }
            stale.signal(SIGCONT)
            #expect(await stale.exitStatus(within: .seconds(30)) == 1, "the stale holder: \(stale.standardError)")
            let staleResult = try #require(stale.outputObjects.first)
            #expect(staleResult["failure"] as? String == "lease-lost", "\(stale.standardOutput)")
            if let stored = try await checkpoint() {
                #expect(stored.fencingToken == 2, "the stale holder moved the checkpoint: \(stored.summary)")
            }
            #expect(await successor.exitStatus(within: .seconds(60)) == 0, "\(successor.standardError)")
            let shardResult = try #require(try await server.result("r14s:backfill:shard:0:result"))
            #expect(shardResult.pid == successor.pid, "shard 0 was marked done by its current holder only")
            #expect(shardResult.fencingToken == 2)
            #expect(try await server.string("r14s:backfill:completed") == "true")
            #expect(try await server.command("LLEN", "r14s:backfill:history").int == 1)
            let completion = try #require(try await server.result("r14s:backfill:result"))
            #expect(completion.recordsProcessed == 4_000)
            #expect(completion.pid == successor.pid)
        }
    }
}
