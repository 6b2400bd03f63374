import Foundation
import InMemoryLogging
import Logging
import Migrations
import MigrationsTestSupport
import Synchronization
import Testing

/// A store that counts checkpoint writes on top of the in-memory one.
final class CountingCheckpointStore: MigrationStateStore {
    let base = InMemoryStateStore()
    private let saves = Mutex<[MigrationCheckpoint]>([])

    var written: [MigrationCheckpoint] { saves.withLock { $0 } }

    func states(for names: [String]) async throws -> [String: StoredMigrationState] {
        try await base.states(for: names)
    }
    func isCompleted(_ name: String) async throws -> Bool { try await base.isCompleted(name) }
    func markCompleted(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        try await base.markCompleted(result, fence: fence)
    }
    func markFailed(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        try await base.markFailed(result, fence: fence)
    }
    func markRolledBack(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        try await base.markRolledBack(result, fence: fence)
    }
    func saveCheckpoint(_ checkpoint: MigrationCheckpoint, of name: String, fence: LeaseFence) async throws {
        try await base.saveCheckpoint(checkpoint, of: name, fence: fence)
        saves.withLock { $0.append(checkpoint) }
    }
    func markPaused(_ result: MigrationResult, fence: LeaseFence?) async throws -> LeaseDisposition {
        try await base.markPaused(result, fence: fence)
    }
    func history(of name: String, limit: Int) async throws -> [MigrationResult] {
        try await base.history(of: name, limit: limit)
    }
    func requestControl(_ control: MigrationControl, of name: String) async throws {
        try await base.requestControl(control, of: name)
    }
    func clearControl(of name: String, expecting expected: MigrationControl?) async throws -> MigrationControl? {
        try await base.clearControl(of: name, expecting: expected)
    }
    func control(of name: String) async throws -> MigrationControl? { try await base.control(of: name) }
    func reset(_ name: String, keepingCheckpoint: Bool) async throws {
        try await base.reset(name, keepingCheckpoint: keepingCheckpoint)
    }
}

/// Items `0..<total` in batches of `size`, through the batch helper; `failAt` throws once the cursor
/// reaches it (the first attempt only, when `failing` says so).
func backfill(
    _ name: String, total: Int, size: Int, processed: Shared<[Int]>, failAt: Int? = nil, failing: Shared<Bool>? = nil
) -> ClosureMigration<TestApp> {
    ClosureMigration<TestApp>(name: name) { context in
        context.progress.setTotal(total)
        try await context.iterate(from: nil as Int?) { (after: Int?) -> MigrationBatch<Int, Int>? in
            let start = after ?? 0
            guard start < total else { return nil }
            if let failAt, start >= failAt, failing?.take() ?? true {
                throw TestSetupError(message: "the database went away at \(start)")
            }
            return MigrationBatch(items: Array(start..<min(total, start + size)), cursor: min(total, start + size))
        } process: { items in
            processed.update { $0.append(contentsOf: items) }
        }
    }
}

@Suite("Checkpoints and resuming", .timeLimit(.minutes(2)))
struct CheckpointTests {
    @Test("a failed attempt leaves its last position; the next resumes there, counts on, and completion clears it")
    func failedAttemptResumes() async throws {
        let store = CountingCheckpointStore()
        let processed = Shared<[Int]>([])
        let failing = Shared(true)
        let harness = try TestHarness(
            [backfill("fill", total: 100, size: 10, processed: processed, failAt: 50, failing: failing)], store: store)

        let first = try await harness.runner.run("fill", context: harness.app)
        #expect(first.status == .failed)
        #expect(first.recordsProcessed == 50)
        let saved = try #require(try await store.state(of: "fill").checkpoint)
        #expect(try saved.cursor(as: Int.self) == 50)
        #expect(saved.completed == 50)
        #expect(saved.total == 100)
        #expect(saved.runId == first.runId)
        #expect(saved.fencingToken == 1)

        let second = try await harness.runner.run("fill", context: harness.app)
        #expect(second.status == .completed)
        #expect(second.attempts == 2)
        #expect(second.resumedFrom?.completed == 50)
        #expect(try second.resumedFrom?.cursor(as: Int.self) == 50)
        #expect(second.recordsProcessed == 100)
        #expect(second.runId != first.runId)
        #expect(processed.value == Array(0..<100), "every item once, in order: nothing redone")
        #expect(try await store.state(of: "fill").checkpoint == nil, "the completion cleared the checkpoint")
        #expect(
            harness.logs.entries.contains { $0.message.description.hasPrefix("resuming from the checkpoint: 50/100") })
    }

    @Test("saves from a hot loop are coalesced: at most one write per interval, plus the last when the step ends")
    func savesAreCoalesced() async throws {
        let store = CountingCheckpointStore()
        let migration = ClosureMigration<TestApp>(name: "hot") { context in
            let end = ContinuousClock.now + .milliseconds(700)
            var cursor = 0
            while ContinuousClock.now < end {
                cursor += 1
                context.progress.increment()
                context.saveCheckpoint(cursor)
                // Sleep now and then, so the loop never holds a thread of the pool that other tests share.
                if cursor % 1000 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            }
            throw TestSetupError(message: "stop at \(cursor)")
        }
        let harness = try TestHarness([migration], store: store, checkpointInterval: .milliseconds(200))
        let started = ContinuousClock.now
        let result = try await harness.runner.run("hot", context: harness.app)
        let elapsed = ContinuousClock.now - started
        #expect(result.status == .failed)
        let writes = store.written
        let intervals = Int(elapsed / .milliseconds(200))
        #expect(writes.count >= 1)
        #expect(writes.count <= intervals + 1, "\(writes.count) writes in \(elapsed)")
        let last = try #require(writes.last)
        #expect(last.completed == result.recordsProcessed, "the last position is written when the step ends")
        #expect(try last.cursor(as: Int.self) == result.recordsProcessed)
    }

    @Test("a save behind a newer holder's fencing token is refused with lease lost, in memory and in files")
    func staleSaveIsRefused() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try FileMigrationBackend(directory: directory)
        let stores: [any MigrationStateStore] = [InMemoryStateStore(), files.stateStore]
        for store in stores {
            func checkpoint(_ token: UInt64, at cursor: Int) -> MigrationCheckpoint {
                MigrationCheckpoint(
                    cursor: .int(Int64(cursor)), completed: cursor, total: 0, fencingToken: token, host: "h", pid: 1,
                    runId: nil)
            }
            if store is FileStateStore {
                // Two acquisitions, as the file lease numbers them.
                for _ in 0..<2 {
                    let lease = try await holdFileLease("m", files.leaseProvider)
                    try await lease.release()
                }
            }
            try await store.saveCheckpoint(
                checkpoint(2, at: 20), of: "m", fence: LeaseFence(token: "b", fencingToken: 2))
            let error = await #expect(throws: MigrationError.self) {
                try await store.saveCheckpoint(
                    checkpoint(1, at: 99), of: "m", fence: LeaseFence(token: "a", fencingToken: 1))
            }
            #expect(error?.code == .leaseLost)
            #expect(error?.message.contains("fencing token 1 was refused") == true)
            #expect(try await store.state(of: "m").checkpoint?.completed == 20, "\(type(of: store)) kept the newer one")
        }
    }

    @Test("reset clears the checkpoint; reset keeping it lets the next run resume", arguments: [false, true])
    func resetKeepsTheCheckpointOnlyWhenAsked(keep: Bool) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try FileMigrationBackend(directory: directory)
        let processed = Shared<[Int]>([])
        let harness = try TestHarness(
            [backfill("fill", total: 40, size: 10, processed: processed, failAt: 20, failing: Shared(true))],
            store: files.stateStore, leaseProvider: files.leaseProvider)
        #expect(try await harness.runner.run("fill", context: harness.app).status == .failed)
        try await files.stateStore.reset("fill", keepingCheckpoint: keep)
        let state = try await files.stateStore.state(of: "fill")
        #expect(state.lastError == nil)
        #expect((state.checkpoint != nil) == keep)
        let result = try await harness.runner.run("fill", context: harness.app)
        #expect(result.status == .completed)
        #expect(result.resumedFrom?.completed == (keep ? 20 : nil))
        #expect(processed.value.count == (keep ? 40 : 60))
    }

    @Test("progress resumes from the checkpoint's count: the rate counts this attempt's items only")
    func progressResumes() async throws {
        let progress = MigrationProgress(total: 1000, resumedFrom: 600)
        progress.increment(by: 100)
        let snapshot = progress.snapshot(now: .now + .seconds(10))
        #expect(snapshot.completed == 700)
        #expect(snapshot.resumedFrom == 600)
        #expect(snapshot.fraction == 0.7)
        #expect(snapshot.summary.contains("resumed at 600"))
        #expect(snapshot.ratePerSecond < 11, "the rate is this attempt's 100 items, not 700")
    }

    @Test("lines of a file, by byte offset: a failure mid-file resumes at the next unprocessed line")
    func lineFileResumes() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/users.csv"
        let rows = (0..<25).map { "user\($0),user\($0)@example.com" }
        try ("id,email\r\n" + rows.joined(separator: "\r\n")).write(toFile: path, atomically: true, encoding: .utf8)
        let seen = Shared<[String]>([])
        let failOnce = Shared(true)
        let migration = ClosureMigration<TestApp>(name: "import") { context in
            try await context.iterateLines(ofFile: path, batchSize: 10, skippingHeader: true) { lines in
                if lines.first == "user10,user10@example.com", failOnce.take() {
                    throw TestSetupError(message: "the import failed at user10")
                }
                seen.update { $0.append(contentsOf: lines) }
            }
        }
        let harness = try TestHarness([migration])
        #expect(try await harness.runner.run("import", context: harness.app).status == .failed)
        let checkpoint = try #require(try await harness.store.state(of: "import").checkpoint)
        #expect(try checkpoint.cursor(as: LineFileCursor.self).line == 10)
        let result = try await harness.runner.run("import", context: harness.app)
        #expect(result.status == .completed)
        #expect(seen.value == rows, "every row once, the header never, no carriage returns")
        #expect(result.recordsProcessed == 25)
    }

    @Test("an async sequence in batches resumes after the elements already processed")
    func asyncSequenceResumes() async throws {
        let seen = Shared<[Int]>([])
        let failOnce = Shared(true)
        let migration = ClosureMigration<TestApp>(name: "stream") { context in
            let numbers = AsyncStream<Int> { continuation in
                for number in 0..<35 { continuation.yield(number) }
                continuation.finish()
            }
            try await context.iterate(numbers, batchSize: 10) { batch in
                if batch.first == 20, failOnce.take() {
                    throw TestSetupError(message: "failed at 20")
                }
                seen.update { $0.append(contentsOf: batch) }
            }
        }
        let harness = try TestHarness([migration])
        #expect(try await harness.runner.run("stream", context: harness.app).status == .failed)
        #expect(try await harness.runner.run("stream", context: harness.app).status == .completed)
        #expect(seen.value == Array(0..<35))
    }

    @Test("a cursor of another type is a clear error naming the reset that fixes it")
    func cursorOfAnotherType() async throws {
        let checkpoint = MigrationCheckpoint(
            cursor: .string("page-7"), completed: 7, total: 0, fencingToken: 1, host: "h", pid: 1, runId: nil)
        let error = #expect(throws: MigrationError.self) { try checkpoint.cursor(as: Int.self) }
        #expect(error?.code == .invalidCheckpoint)
        #expect(error?.message.contains("migrations reset") == true)
    }

    @Test("cursors of any Codable shape round-trip exactly, large integers included")
    func cursorsRoundTrip() throws {
        struct Position: Codable, Equatable, Sendable {
            var createdAt: Date
            var id: UInt64
            var shard: String?
        }
        let position = Position(createdAt: Date(timeIntervalSince1970: 1_700_000_000), id: UInt64.max - 3, shard: nil)
        let checkpoint = MigrationCheckpoint(
            cursor: try JSONValue(encoding: position), completed: 3, total: 9,
            savedAt: Date(timeIntervalSince1970: 1_700_000_100), fencingToken: 4, host: "h", pid: 2, runId: "r")
        let decoded = try MigrationCheckpoint.decode(from: try checkpoint.jsonData())
        #expect(decoded == checkpoint)
        #expect(try decoded.cursor(as: Position.self) == position)
    }
}

/// Takes a file lease once (numbering an acquisition), failing the test if it cannot.
func holdFileLease(_ name: String, _ leases: FileLeaseProvider) async throws -> any MigrationLease {
    let holder = LeaseHolder(host: "h", pid: 1, triggeredBy: "t")
    guard
        case .acquired(let lease, _) = try await leases.acquire(
            LeaseRequest(name: name, holder: holder, skipIfCompleted: false))
    else { throw TestSetupError(message: "could not take the file lease of \(name)") }
    return lease
}
