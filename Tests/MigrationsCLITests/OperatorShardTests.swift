import Foundation
import Logging
import Migrations
import MigrationsCLI
import MigrationsOperator
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import Testing

@Suite("migrations status and show of a sharded migration", .timeLimit(.minutes(5)))
struct OperatorShardTests {
    /// Runs a 4-shard migration in this process whose shard 2 fails, leaving shards 0 and 1 completed.
    static func runHalfway(_ fixture: CLIFixture) async throws -> MigrationResult {
        let backend = try await RedisMigrationBackend.connect(
            configuration: try RedisConfiguration(url: fixture.redisURL))
        let migration = ClosureMigration<Void>(name: "2026-12-02-backfill-totals", sharding: .count(4)) { context in
            let shard = try #require(context.shard)
            context.progress.setTotal(250)
            if shard.index == 2 { throw MigrationExpectationFailure("row 512 is malformed \u{1B}[31m") }
            context.progress.increment(by: 250)
        }
        let runner = MigrationRunner<Void>(
            registry: try MigrationRegistry([migration]), backend: backend,
            logger: Logger(label: "shards", factory: { _ in SwiftLogNoOpLogHandler() }),
            configuration: .init(host: HostIdentity(host: "replica-1", pid: 4242), triggeredBy: "tests"))
        return try await runner.run(migration.name, context: ())
    }

    @Test("status shows one row for the migration with its shards' totals, never a row per shard")
    func statusFoldsShards() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        let result = try await Self.runHalfway(fixture)
        #expect(result.status == .failed && result.shardsRun == [0, 1], "\(result)")

        let json = try await fixture.tool(["status", "--json"])
        #expect(json.status == 0, "\(json)")
        let rows = try fixture.decode([MigrationStatusRow].self, json)
        #expect(rows.map(\.name) == ["2026-12-02-backfill-totals"], "no row per shard: \(rows.map(\.name))")
        let row = try #require(rows.first)
        #expect(row.state == .failed)
        let shards = try #require(row.shards)
        #expect(shards.count == 4)
        #expect(shards.completedShards == 2 && shards.failedShards == 1)
        #expect(shards.completed == 500)
        #expect(shards.shards.map(\.state) == [.completed, .completed, .failed, .pending])
        #expect(shards.shards[0].completedBy == "tests (replica-1 4242)")

        let text = try await fixture.tool(["status"])
        #expect(text.standardOutput.contains("2/4 shards done, 1 failed"), "\(text)")
        #expect(text.standardOutput.contains("shard 2 of 4 failed"), "\(text)")
        #expect(!text.standardOutput.contains("\u{1B}[31m"), "the error's escape sequence is not printed raw")

        let show = try await fixture.tool(["show", "2026-12-02-backfill-totals"])
        #expect(show.status == 0, "\(show)")
        #expect(show.standardOutput.contains("SHARDS (2/4 shards done, 1 failed"), "\(show)")
        let lines = show.standardOutput.split(separator: "\n")
        #expect(lines.contains { $0.contains("replica-1 4242") && $0.contains("completed") && $0.contains("250/250") })
        #expect(lines.contains { $0.contains("failed") && $0.contains("row 512 is malformed") })
        let details = try fixture.decode(
            MigrationDetailsReport.self, try await fixture.tool(["show", "2026-12-02-backfill-totals", "--json"]))
        #expect(details.shards?.failedShards == 1)
    }
}
