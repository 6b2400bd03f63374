import Foundation
import Migrations
import MigrationsCLI
import MigrationsRedis
import RedisClient
import RedisTestSupport
import Testing

@Suite("RedisMigrationInspector", .timeLimit(.minutes(5)))
struct InspectorTests {
    @Test("discovery scans in pages and reads in batches, ignoring other prefixes and non-state keys")
    func discoveryAcrossPages() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let connection = try await server.connect()
        defer { connection.close() }
        var commands: [[String]] = []
        for index in 0..<230 {
            commands.append(["SET", "app*1:m-\(index):completed", "true"])
            commands.append(["SET", "app*1:m-\(index):fence", "1"])
        }
        commands.append(["SET", "app*1:only-fence:fence", "3"])
        commands.append(["SET", "app-2:m-0:completed", "true"])
        commands.append(["SET", "app*1:with:colons:error", "boom"])
        _ = try await connection.pipeline(commands)

        let inspector = RedisMigrationInspector(
            connection: connection, keys: RedisMigrationKeys(prefix: "app*1"), batchSize: 7, scanCount: 10)
        let before = connection.roundTrips
        let names = try await inspector.migrationNames()
        #expect(names.count == 231)
        #expect(names.contains("with:colons"))
        #expect(!names.contains("only-fence"))
        #expect(names == names.sorted())

        let states = try await inspector.states(for: names)
        #expect(states.count == 231)
        #expect(states.filter { $0.state.isCompleted }.count == 230)
        #expect(states.first { $0.name == "with:colons" }?.state.lastError == "boom")
        let pages = connection.roundTrips - before
        #expect(pages >= 231 / 7, "reads are batched: one pipeline per 7 migrations")
    }

    @Test("foreign data under a key makes the row unknown, naming the key")
    func foreignData() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let connection = try await server.connect()
        defer { connection.close() }
        _ = try await connection.send(["RPUSH", "migration:odd:completed", "x"])

        let inspector = RedisMigrationInspector(connection: connection)
        let states = try await inspector.states()
        let row = MigrationStatusRow(name: states[0].name, stored: states[0].state)
        #expect(row.state == .unknown)
        #expect(row.problem?.contains("migration:odd:completed") == true)
        let details = try await inspector.details(of: "odd")
        #expect(details.keys.first?.type == "list")
    }

    @Test("release deletes a lease only while it holds the token read; forceUnlock bumps the fence")
    func releaseAndForce() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let connection = try await server.connect()
        defer { connection.close() }
        let value = RedisLeaseValue(
            token: "aaaa", host: "h", pid: 1, triggeredBy: "t", acquiredAt: Date(timeIntervalSince1970: 1_700_000_000),
            fencingToken: 4, ttlMs: 30_000)
        let json = String(decoding: try MigrationJSON.encoder().encode(value), as: UTF8.self)
        _ = try await connection.send(["SET", "migration:job:lease", json, "PX", "30000"])
        _ = try await connection.send(["SET", "migration:job:fence", "4"])
        let inspector = RedisMigrationInspector(connection: connection)

        let lease = try #require(try await inspector.lease(of: "job"))
        #expect(lease.value == value)
        #expect(lease.isRecentlyRefreshed)
        #expect(try await inspector.release("job", token: "bbbb") == false)
        #expect(try await inspector.lease(of: "job") != nil)
        #expect(try await inspector.forceUnlock("job") == value)
        #expect(try await inspector.lease(of: "job") == nil)
        #expect(try await inspector.details(of: "job").fence == 5)
    }
}
