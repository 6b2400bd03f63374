import Foundation
import Logging
import Migrations
import MigrationsTestSupport
import Testing

/// A sharded backfill over `0..<total`: shard k does its slice in batches of `size`, recording every
/// item it processes with the shard that did it; `failing` makes one shard throw once mid-slice.
func shardedBackfill(
    _ name: String = "sharded", shards: Int, total: Int, size: Int = 10, processed: Shared<[Int: [Int]]>,
    failing: (shard: Int, once: Shared<Bool>)? = nil,
    beforeBatch: (@Sendable (MigrationShard) async throws -> Void)? = nil
) -> ClosureMigration<TestApp> {
    ClosureMigration<TestApp>(name: name, sharding: .count(shards)) { context in
        let shard = try #require(context.shard)
        let items = shard.slice(of: 0..<total)
        context.progress.setTotal(items.count)
        try await context.iterate(from: nil as Int?) { (after: Int?) -> MigrationBatch<Int, Int>? in
            let start = after ?? items.lowerBound
            guard start < items.upperBound else { return nil }
            let end = min(items.upperBound, start + size)
            return MigrationBatch(items: Array(start..<end), cursor: end)
        } process: { batch in
            try await beforeBatch?(shard)
            if let failing, failing.shard == shard.index, batch.first! >= items.lowerBound + size,
                failing.once.take()
            {
                throw TestSetupError(message: "row \(batch.first!) is malformed")
            }
            processed.update { $0[shard.index, default: []].append(contentsOf: batch) }
        }
    }
}

@Suite("Sharded migrations", .timeLimit(.minutes(2)))
struct ShardTests {
    @Test("a fleet of one runs every shard, in order, and records the completion once with all records")
    func fleetOfOneRunsEveryShard() async throws {
        let processed = Shared<[Int: [Int]]>([:])
        let store = InMemoryStateStore()
        let harness = try TestHarness(
            [shardedBackfill(shards: 8, total: 1_000, processed: processed)], store: store)
        let result = try await harness.run("sharded")
        try harness.require(result, is: .completed)
        #expect(result.shardsRun == Array(0..<8))
        #expect(result.shardCount == 8)
        #expect(result.recordsProcessed == 1_000)
        let all = processed.value.values.flatMap { $0 }
        #expect(all.sorted() == Array(0..<1_000), "every item once")
        let state = try await harness.state(of: "sharded")
        #expect(state.isCompleted)
        #expect(state.lastResult?.recordsProcessed == 1_000)
        #expect(state.lastResult?.shardCount == 8)
        let history = try await store.history(of: "sharded", limit: 10)
        #expect(history.map(\.status) == [.completed], "the migration's completion is recorded once")
        for shard in MigrationSharding.count(8).shards {
            let shardState = try await store.state(of: shard.storageName(of: "sharded"))
            #expect(!shardState.isCompleted, "the shard's completion marker is cleared with the migration's")
            #expect(shardState.checkpoint == nil)
            #expect(shardState.lastResult?.shard == shard)
        }
        let again = try await harness.run("sharded")
        #expect(again.status == .skipped)
    }

    @Test("four runners over one store share the shards: each item once, the completion written once")
    func concurrentRunnersShareTheShards() async throws {
        let processed = Shared<[Int: [Int]]>([:])
        let backend = TestMigrationBackend(stateStore: InMemoryStateStore(), leaseProvider: InProcessLeaseProvider())
        let migration = shardedBackfill(
            shards: 16, total: 3_200, processed: processed,
            beforeBatch: { _ in try await Task.sleep(for: .milliseconds(2)) })
        let runners = try (0..<4).map { index in
            MigrationRunner<TestApp>(
                registry: try MigrationRegistry([migration]), backend: backend, logger: Logger(label: "shards"),
                configuration: .init(host: HostIdentity(host: "r\(index)", pid: 1), triggeredBy: "replica-\(index)"))
        }
        let app = TestApp()
        let results = try await withThrowingTaskGroup(of: MigrationResult.self) { group in
            for runner in runners { group.addTask { try await runner.run("sharded", context: app) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == .completed || $0.status == .skipped }, "\(results)")
        let shardsRun = results.flatMap { $0.shardsRun ?? [] }
        #expect(shardsRun.sorted() == Array(0..<16), "every shard was run by exactly one runner")
        #expect(results.filter { !($0.shardsRun ?? []).isEmpty }.count > 1, "more than one runner took shards")
        #expect(processed.value.values.flatMap { $0 }.sorted() == Array(0..<3_200))
        let history = try await backend.stateStore.history(of: "sharded", limit: 10)
        #expect(history.count == 1 && history.first?.recordsProcessed == 3_200)
    }

    @Test("a failing shard fails the migration; the rerun resumes that shard and does not redo finished ones")
    func failedShardResumes() async throws {
        let processed = Shared<[Int: [Int]]>([:])
        let once = Shared(true)
        let harness = try TestHarness(
            [shardedBackfill(shards: 4, total: 400, processed: processed, failing: (2, once))],
            checkpointInterval: .zero)
        let failed = try await harness.run("sharded")
        #expect(failed.status == .failed)
        #expect(failed.error?.contains("shard 2 of 4 failed") == true, "\(failed.error ?? "")")
        #expect(failed.error?.contains("row 210 is malformed") == true)
        #expect(failed.shardsRun == [0, 1])
        let state = try await harness.state(of: "sharded")
        #expect(!state.isCompleted)
        #expect(state.lastError?.contains("shard 2 of 4 failed") == true)
        let shardState = try await harness.store.state(of: "sharded:shard:2")
        #expect(try shardState.checkpoint?.cursor(as: Int.self) == 210, "the failing shard's checkpoint is kept")

        let rerun = try await harness.run("sharded")
        try harness.require(rerun, is: .completed)
        #expect(rerun.shardsRun == [2, 3], "the finished shards are not run again")
        #expect(processed.value[0]?.count == 100 && processed.value[1]?.count == 100)
        #expect(processed.value[2] == Array(200..<300), "shard 2 resumed at its checkpoint, nothing twice")
        let completed = try await harness.state(of: "sharded")
        #expect(completed.isCompleted && completed.lastError == nil)
        #expect(completed.lastResult?.recordsProcessed == 400)
    }

    @Test("a pause request stops the holder at its next control check and is honoured before any new shard")
    func pauseStopsTheShards() async throws {
        let processed = Shared<[Int: [Int]]>([:])
        let harness = try TestHarness(
            [
                shardedBackfill(
                    shards: 4, total: 400, processed: processed,
                    beforeBatch: { _ in try await Task.sleep(for: .milliseconds(5)) })
            ], checkpointInterval: .zero, controlPollInterval: .milliseconds(20))
        let run = Task { try await harness.run("sharded") }
        try await waitUntil("the first shard is under way", limit: .seconds(20)) {
            (processed.value[0]?.count ?? 0) >= 20
        }
        try await harness.store.requestControl(
            MigrationControl(.pause, reason: "database load", by: "ops"), of: "sharded")
        let paused = try await run.value
        #expect(paused.status == .paused, "\(paused)")
        #expect(paused.control?.reason == "database load")
        #expect(processed.value.keys.sorted() == [0], "no shard was started after the pause")
        let again = try await harness.run("sharded")
        #expect(again.status == .paused, "a standing pause stops the run before any shard")
        _ = try await harness.store.clearControl(of: "sharded", expecting: nil)
        let resumed = try await harness.run("sharded")
        try harness.require(resumed, is: .completed)
        #expect(processed.value.values.flatMap { $0 }.sorted() == Array(0..<400))
    }

    @Test("a dry run goes through every shard in this process and writes nothing")
    func dryRunVisitsEveryShard() async throws {
        let seen = Shared<[Int]>([])
        let migration = ClosureMigration<TestApp>(name: "sharded", sharding: .count(3)) { context in
            #expect(context.dryRun)
            seen.update { $0.append(context.shard?.index ?? -1) }
        }
        let harness = try TestHarness([migration])
        let result = try await harness.run("sharded", options: MigrationRunOptions(dryRun: true))
        #expect(result.status == .dryRun)
        #expect(seen.value == [0, 1, 2])
        #expect(try await harness.state(of: "sharded") == .pending)
    }

    @Test("the file store: two runners over one directory complete a sharded migration once")
    func fileStoreShards() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let processed = Shared<[Int: [Int]]>([:])
        let migration = shardedBackfill(
            shards: 6, total: 600, processed: processed,
            beforeBatch: { _ in try await Task.sleep(for: .milliseconds(1)) })
        let runners = try (0..<2).map { index in
            MigrationRunner<TestApp>(
                registry: try MigrationRegistry([migration]), backend: try FileMigrationBackend(directory: directory),
                logger: Logger(label: "shards"),
                configuration: .init(host: HostIdentity(host: "r\(index)", pid: 1), triggeredBy: "replica-\(index)"))
        }
        let app = TestApp()
        let results = try await withThrowingTaskGroup(of: MigrationResult.self) { group in
            for runner in runners { group.addTask { try await runner.run("sharded", context: app) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.flatMap { $0.shardsRun ?? [] }.sorted() == Array(0..<6), "\(results)")
        #expect(processed.value.values.flatMap { $0 }.sorted() == Array(0..<600))
        let store = try FileStateStore(directory: directory)
        let history = try await store.history(of: "sharded", limit: 10)
        #expect(history.count == 1 && history.first?.recordsProcessed == 600)
        for shard in MigrationSharding.count(6).shards {
            #expect(try await !store.isCompleted(shard.storageName(of: "sharded")))
        }
    }

    @Test("the registry refuses a bad shard count, state hooks on a sharded migration, and a name in its shards' space")
    func registryRefusesBadSharding() throws {
        let up: @Sendable (MigrationContext<TestApp>) async throws -> Void = { _ in }
        #expect(throws: MigrationError.self) {
            try MigrationRegistry<TestApp>([ClosureMigration(name: "zero", sharding: .count(0), up: up)])
        }
        let tooMany = #expect(throws: MigrationError.self) {
            try MigrationRegistry<TestApp>([ClosureMigration(name: "many", sharding: .count(5_000), up: up)])
        }
        #expect(tooMany?.message.contains("from 1 to 1024") == true)
        let hooks = MigrationStateHooks<TestApp>(
            isCompleted: { _ in false }, markComplete: { _, _ in }, markFailed: { _, _ in },
            markRolledBack: { _, _ in })
        #expect(throws: MigrationError.self) {
            try MigrationRegistry<TestApp>([
                ClosureMigration(name: "hooked", sharding: .count(2), up: up, stateHooks: hooks)
            ])
        }
        let clash = #expect(throws: MigrationError.self) {
            try MigrationRegistry<TestApp>([
                ClosureMigration(name: "big", sharding: .count(2), up: up),
                ClosureMigration(name: "big:shard:1", up: up),
            ])
        }
        #expect(clash?.code == .invalidName)
        // The same clash registered the other way round, after other names.
        let reversed = #expect(throws: MigrationError.self) {
            try MigrationRegistry<TestApp>([
                ClosureMigration(name: "before", up: up),
                ClosureMigration(name: "big:shard:1", up: up),
                ClosureMigration(name: "other", sharding: .count(2), up: up),
                ClosureMigration(name: "big", sharding: .count(2), up: up),
            ])
        }
        #expect(reversed?.code == .invalidName)
        #expect(reversed?.message.contains("'big:shard:1'") == true)
        #expect(reversed?.message.contains("sharded migration 'big'") == true)
    }

    @Test("slices cover a range exactly once, in order, sizes differing by at most one")
    func slicesCoverTheRange() {
        for count in [1, 3, 7, 64] {
            for range in [0..<0, 0..<5, 10..<1_000, -50..<51] {
                let slices = MigrationSharding.count(count).shards.map { $0.slice(of: range) }
                #expect(slices.flatMap { Array($0) } == Array(range), "\(count) shards of \(range)")
                let sizes = slices.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1)
            }
        }
        let shard = MigrationShard(index: 3, count: 8)
        #expect(shard.owns(11) && !shard.owns(12))
        #expect(shard.storageName(of: "backfill") == "backfill:shard:3")
    }
}
