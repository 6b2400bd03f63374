import Foundation
import GRDB
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The built `example-service`, run as real replicas against a real redis-server.
@Suite("Example service", .serialized, .timeLimit(.minutes(5)))
struct ExampleServiceTests {
    static let migrations = [
        "2025-01-10-create-schema", "2025-01-15-import-legacy-users", "2025-02-01-move-tenant-settings",
        "2025-03-10-clean-orphaned-uploads", "2025-04-01-seed-demo-orders", "2025-04-02-backfill-order-totals",
        "2025-04-03-band-orders-by-size",
    ]
    /// The sharded migration of the list, and its shard count.
    static let sharded = (name: "2025-04-03-band-orders-by-size", shards: 12)

    private func freePort() throws -> Int { try loopbackFreePort() }

    /// The status and body of a GET, `nil` when the service does not answer within 2 s.
    private func fetch(_ port: Int, _ path: String, token: String? = nil) async -> (status: Int, body: String)? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.timeoutInterval = 2
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let status = (response as? HTTPURLResponse)?.statusCode
        else { return nil }
        return (status, String(decoding: data, as: UTF8.self))
    }

    private func get(_ port: Int, _ path: String, token: String? = nil) async -> Int? {
        await fetch(port, path, token: token)?.status
    }

    private func waitUntilHealthy(_ port: Int, _ process: ChildProcess) async throws {
        for _ in 0..<600 {
            if await get(port, "/health") == 200 { return }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record(
            "the service on port \(port) never became healthy:\n\(process.standardOutput)\(process.standardError)")
    }

    /// This process's environment without `REDIS_URL`, plus `extra`.
    /// The environment of a replica: this process's, without `REDIS_URL`, with 20,000 demo orders (a tenth
    /// of the default, to spare a machine that runs every suite at once), then `extra`.
    private func serviceEnvironment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["REDIS_URL"] = nil
        environment["EXAMPLE_DEMO_ORDERS"] = "20000"
        return environment.merging(extra) { $1 }
    }

    private func workDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("example-service-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path + "/data/uploads", withIntermediateDirectories: true)
        return path
    }

    @Test("serve's log lines show control characters and bidi overrides escaped, never raw")
    func serveEscapesItsLogs() async throws {
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let port = try freePort()
        let hostile = "web\u{1B}[2J\u{202E}1"
        let replica = try await ChildProcess.launch(
            "example-service",
            ["serve", "--port", "\(port)", "--state-dir", "\(work)/state", "--replica-name", hostile],
            environment: serviceEnvironment(["EXAMPLE_DATA_DIR": "\(work)/data", "EXAMPLE_BACKFILL_PAUSE_MS": "0"]),
            directory: work)
        try await waitUntilHealthy(port, replica)
        replica.signal(SIGTERM)
        let outcome = try await replica.wait()
        let output = outcome.standardOutput + outcome.standardError
        #expect(output.contains(#"replica=web\u{1B}[2J\u{202E}1"#), "\(output.prefix(2000))")
        #expect(!output.unicodeScalars.contains("\u{1B}"), "a raw ESC reached the log")
        #expect(!output.unicodeScalars.contains("\u{202E}"), "a raw bidi override reached the log")
    }

    @Test("serve --metrics exports every migration's attempts and leases on GET /metrics; without it there is none")
    func metricsEndpoint() async throws {
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let environment = [
            "EXAMPLE_DATA_DIR": "\(work)/data", "TENANT_ACME_PLAN": "enterprise", "TENANT_GLOBEX_PLAN": "starter",
            "EXAMPLE_BACKFILL_PAUSE_MS": "0",
        ]
        let port = try freePort()
        let replica = try await ChildProcess.launch(
            "example-service", ["serve", "--port", "\(port)", "--metrics", "--state-dir", "\(work)/state"],
            environment: serviceEnvironment(environment), directory: work)
        try await waitUntilHealthy(port, replica)
        let backfill = "2025-04-02-backfill-order-totals"
        var scrape = ""
        try await waitUntil("the backfill's completion is in the scrape", limit: .seconds(120)) {
            scrape = await fetch(port, "/metrics").flatMap { $0.status == 200 ? $0.body : nil } ?? ""
            return Self.sample(scrape, "migrations_attempts_total", backfill, "outcome=\"completed\"") == 1
        }
        for name in Self.migrations {
            #expect(Self.sample(scrape, "migrations_attempts_total", name, "outcome=\"completed\"") == 1, "\(name)")
            let acquisitions = name == Self.sharded.name ? Self.sharded.shards : 1
            #expect(Self.sample(scrape, "migrations_lease_acquisitions_total", name) == Double(acquisitions), "\(name)")
            #expect(Self.sample(scrape, "migrations_running", name) == 0, "\(name)")
        }
        #expect(Self.sample(scrape, "migrations_items_processed", backfill) == 20_000, "\(scrape)")
        #expect(scrape.contains("# TYPE migrations_attempt_duration_seconds histogram"))
        #expect(scrape.contains("hb_requests"), "the HTTP server's own metrics are there too")
        replica.signal(SIGTERM)
        #expect(try await replica.wait().status == 0)

        let plain = try await ChildProcess.launch(
            "example-service", ["serve", "--port", "\(port)", "--state-dir", "\(work)/state"],
            environment: serviceEnvironment(environment), directory: work)
        try await waitUntilHealthy(port, plain)
        #expect(await get(port, "/metrics") == 404)
        plain.signal(SIGTERM)
        #expect(try await plain.wait().status == 0)
    }

    /// The value of the sample of `metric` whose labels hold `migration="<name>"` and every one of `labels`.
    private static func sample(_ scrape: String, _ metric: String, _ name: String, _ labels: String...) -> Double? {
        for line in scrape.split(separator: "\n") where line.hasPrefix(metric + "{") {
            let text = String(line)
            guard text.contains("migration=\"\(name)\""), labels.allSatisfy(text.contains) else { continue }
            return text.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }

    @Test("three replicas started at once run each migration exactly once, then all serve")
    func threeReplicasRunEachMigrationOnce() async throws {
        let redis = try await RedisServer.start()
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        for file in ["orphan-1.png", "orphan-2.tmp"] {
            #expect(FileManager.default.createFile(atPath: "\(work)/data/uploads/\(file)", contents: Data("x".utf8)))
        }
        let environment = [
            "REDIS_URL": redis.url, "EXAMPLE_DATA_DIR": "\(work)/data", "MIGRATIONS_API_TOKEN": "t0ken",
            "TENANT_ACME_PLAN": "enterprise", "TENANT_GLOBEX_PLAN": "starter", "EXAMPLE_BACKFILL_PAUSE_MS": "0",
        ]
        let ports = try (0..<3).map { _ in try freePort() }
        var replicas: [ChildProcess] = []
        for index in 0..<3 {
            replicas.append(
                try await ChildProcess.launch(
                    "example-service",
                    [
                        "serve", "--port", "\(ports[index])", "--replica-name", "replica-\(index + 1)", "--lease-ttl",
                        "5",
                    ],
                    environment: serviceEnvironment(environment), directory: work))
        }
        for (port, replica) in zip(ports, replicas) { try await waitUntilHealthy(port, replica) }
        // Readiness does not wait for the background backfill; one of the replicas' workers runs it.
        try await waitUntil("a worker completed the backfill", limit: .seconds(120)) {
            try await redis.command("GET", "migration:2025-04-02-backfill-order-totals:completed").string == "true"
        }

        #expect(await get(ports[0], "/migrations") == 401)
        #expect(await get(ports[1], "/migrations", token: "t0ken") == 200)
        // The JSON API shows the sharded migration as one row with its shards, and who completed each.
        let listing = try #require(await fetch(ports[2], "/migrations", token: "t0ken"))
        let rows = try MigrationJSON.decoder().decode([MigrationStatusRow].self, from: Data(listing.body.utf8))
        let shardedRow = try #require(rows.first { $0.name == Self.sharded.name })
        let shards = try #require(shardedRow.shards, "\(listing.body)")
        #expect(shards.count == Self.sharded.shards && shards.completedShards == Self.sharded.shards)
        #expect(shards.shards.allSatisfy { $0.completedBy?.hasPrefix("replica-") == true }, "\(shards.shards)")

        let completions = replicas.map {
            ($0.standardOutput + $0.standardError).components(separatedBy: "migration completed").count - 1
        }
        #expect(completions.reduce(0, +) == Self.migrations.count, "runs per replica: \(completions)")
        for name in Self.migrations {
            #expect(try await redis.command("GET", "migration:\(name):completed").string == "true")
            let result = try MigrationResult.decode(
                from: Data(try #require(try await redis.command("GET", "migration:\(name):result").bytes)))
            #expect(result.triggeredBy.hasPrefix("replica-"))
        }
        let database = try DatabaseQueue(path: "\(work)/data/example.sqlite")
        let users = try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM users") }
        #expect(users == 4949)
        let settings = try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM tenant_settings") }
        #expect(settings == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(work)/data/uploads").isEmpty)
        let unfilled = try await database.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM orders WHERE total_cents IS NULL")
        }
        #expect(unfilled == 0)
        let orders = try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM orders") }
        let banded = try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM order_bands") }
        #expect(banded == orders, "every order banded by the sharded migration")
        let sharded = try MigrationResult.decode(
            from: Data(try #require(try await redis.command("GET", "migration:\(Self.sharded.name):result").bytes)))
        #expect(sharded.shardCount == Self.sharded.shards && sharded.recordsProcessed == orders)
        for shard in 0..<Self.sharded.shards {
            let fence = try await redis.command("GET", "migration:\(Self.sharded.name):shard:\(shard):fence").string
            #expect(fence == "1", "shard \(shard) was acquired once")
        }

        for replica in replicas { replica.signal(SIGTERM) }
        for replica in replicas { #expect(try await replica.wait().status == 0) }
    }

    @Test(
        "waiting for another replica's lease: live but not ready; a signal exits within 2 s with 5, writing nothing",
        arguments: [SIGTERM, SIGINT])
    func signalWhileWaitingExitsPromptly(signal: Int32) async throws {
        let redis = try await RedisServer.start()
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let first = "migration:\(Self.migrations[0])"
        let value = RedisLeaseValue(
            token: LeaseToken.random(), host: "gone-host", pid: 4242, triggeredBy: "deploy-9",
            acquiredAt: Date(timeIntervalSinceNow: -60), fencingToken: 1, ttlMs: 600_000)
        try await redis.command("SET", "\(first):fence", "1")
        try await redis.command(
            "SET", "\(first):lease", String(decoding: try MigrationJSON.encode(value), as: UTF8.self), "PX", "600000")
        let before = try await redis.snapshot(matching: "migration:*")

        let port = try freePort()
        let replica = try await ChildProcess.launch(
            "example-service", ["serve", "--port", "\(port)"],
            environment: serviceEnvironment(["REDIS_URL": redis.url, "EXAMPLE_DATA_DIR": "\(work)/data"]),
            directory: work)
        for _ in 0..<600 where try await redis.command("SCARD", "\(first):waiters").int == 0 && replica.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await redis.command("SCARD", "\(first):waiters").int == 1, "\(replica.standardError)")
        #expect(await get(port, "/health/live") == 200, "liveness must answer while start-up waits")
        #expect(await get(port, "/health/ready") == 503, "not ready while the start-up migrations wait")
        #expect(await get(port, "/health") == 503)
        let signalled = ContinuousClock.now
        replica.signal(signal)
        let outcome = try await replica.wait(timeout: .seconds(20))
        let took = (replica.exitedAt ?? ContinuousClock.now) - signalled
        #expect(took < .seconds(2), "serve went on \(took) after the signal")
        #expect(outcome.status == 5, "\(outcome)")
        #expect((outcome.standardOutput + outcome.standardError).contains("cancelled while waiting"), "\(outcome)")
        #expect(try await redis.snapshot(matching: "migration:*") == before, "serve wrote under the keys")
        #expect(try await redis.command("PTTL", "\(first):lease").int ?? 0 > 500_000)
    }

    @Test("SIGTERM during a migration cancels it, records the failure, releases the lease, and exits with 5")
    func sigtermCancelsAndReleases() async throws {
        let redis = try await RedisServer.start()
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let environment = [
            "REDIS_URL": redis.url, "EXAMPLE_DATA_DIR": "\(work)/data", "EXAMPLE_IMPORT_PAUSE_MS": "1000",
        ]
        let port = try freePort()
        let replica = try await ChildProcess.launch(
            "example-service", ["serve", "--port", "\(port)", "--lease-ttl", "30", "--triggered-by", "deploy-77"],
            environment: serviceEnvironment(environment), directory: work)
        let lease = "migration:2025-01-15-import-legacy-users:lease"
        for _ in 0..<300 where try await redis.command("EXISTS", lease).int == 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await redis.command("EXISTS", lease).int == 1)
        replica.signal(SIGTERM)
        let outcome = try await replica.wait()
        #expect(outcome.status == 5, "\(outcome)")
        #expect(try await redis.command("EXISTS", lease).int == 0, "the lease was left behind")
        #expect(try await redis.command("GET", "migration:2025-01-15-import-legacy-users:completed").isNull)
        let error = try await redis.command("GET", "migration:2025-01-15-import-legacy-users:error").string
        #expect(error?.contains("cancelled") == true)
        let failure = try #require(
            try await redis.command("GET", "migration:2025-01-15-import-legacy-users:failure").bytes)
        let record = try MigrationResult.decode(from: Data(failure))
        #expect(record.triggeredBy == "deploy-77", "serve --triggered-by is recorded as who ran it")
        #expect(record.failure == .cancelled)
        #expect((outcome.standardOutput + outcome.standardError).contains("not serving"), "\(outcome)")

        let successor = try await ChildProcess.launch(
            "example-service", ["serve", "--port", "\(port)"],
            environment: serviceEnvironment(environment.merging(["EXAMPLE_IMPORT_PAUSE_MS": "0"]) { $1 }),
            directory: work)
        try await waitUntilHealthy(port, successor)
        #expect(try await redis.command("GET", "migration:2025-01-15-import-legacy-users:completed").string == "true")
        successor.signal(SIGTERM)
        _ = try await successor.wait()
    }

    @Test("a replica killed with SIGKILL mid-backfill: the next replica resumes the backfill from its checkpoint")
    func killedReplicaIsResumed() async throws {
        let redis = try await RedisServer.start()
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let environment = [
            "REDIS_URL": redis.url, "EXAMPLE_DATA_DIR": "\(work)/data", "EXAMPLE_IMPORT_PAUSE_MS": "0",
            "EXAMPLE_BACKFILL_PAUSE_MS": "200",
        ]
        let backfill = "migration:2025-04-02-backfill-order-totals"
        let port = try freePort()
        let first = try await ChildProcess.launch(
            "example-service", ["serve", "--port", "\(port)", "--lease-ttl", "2", "--replica-name", "replica-1"],
            environment: serviceEnvironment(environment), directory: work)
        var saved: MigrationCheckpoint?
        try await waitUntil("the backfill checkpointed 5,000 orders", limit: .seconds(120)) {
            saved = try await redis.command("GET", "\(backfill):checkpoint").bytes.flatMap {
                try? MigrationCheckpoint.decode(from: Data($0))
            }
            return (saved?.completed ?? 0) >= 5_000
        }
        first.signal(SIGKILL)
        _ = try await first.wait()
        let checkpoint = try #require(
            try await redis.command("GET", "\(backfill):checkpoint").bytes.map {
                try MigrationCheckpoint.decode(from: Data($0))
            })
        #expect(checkpoint.pid == first.pid)

        let second = try await ChildProcess.launch(
            "example-service", ["serve", "--port", "\(port)", "--lease-ttl", "2", "--replica-name", "replica-2"],
            environment: serviceEnvironment(environment.merging(["EXAMPLE_BACKFILL_PAUSE_MS": "0"]) { $1 }),
            directory: work)
        try await waitUntilHealthy(port, second)
        try await waitUntil("the second replica's worker completed the backfill", limit: .seconds(120)) {
            try await redis.command("GET", "\(backfill):completed").string == "true"
        }
        let result = try MigrationResult.decode(
            from: Data(try #require(try await redis.command("GET", "\(backfill):result").bytes)))
        #expect(result.status == .completed)
        #expect(result.triggeredBy == "replica-2")
        #expect(result.resumedFrom?.completed ?? 0 >= checkpoint.completed, "resumed at or after the checkpoint read")
        #expect(result.attempts == 2)
        #expect(result.recordsProcessed == 20_000)
        #expect(try await redis.command("EXISTS", "\(backfill):checkpoint").int == 0)
        let database = try DatabaseQueue(path: "\(work)/data/example.sqlite")
        let unfilled = try await database.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM orders WHERE total_cents IS NULL")
        }
        #expect(unfilled == 0)
        second.signal(SIGTERM)
        _ = try await second.wait()
    }

    @Test("a graceful shutdown mid-backfill: checkpoint written, lease released, another replica's worker continues")
    func gracefulShutdownHandsTheBackfillOver() async throws {
        let redis = try await RedisServer.start()
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let environment = [
            "REDIS_URL": redis.url, "EXAMPLE_DATA_DIR": "\(work)/data", "EXAMPLE_IMPORT_PAUSE_MS": "0",
            "EXAMPLE_BACKFILL_PAUSE_MS": "500", "MIGRATIONS_API_TOKEN": "t0ken",
        ]
        let backfill = "migration:2025-04-02-backfill-order-totals"
        let ports = try (0..<2).map { _ in try freePort() }
        func replica(_ index: Int) async throws -> ChildProcess {
            try await ChildProcess.launch(
                "example-service",
                ["serve", "--port", "\(ports[index])", "--lease-ttl", "30", "--replica-name", "replica-\(index + 1)"],
                environment: serviceEnvironment(environment), directory: work)
        }
        let first = try await replica(0)
        try await waitUntilHealthy(ports[0], first)
        #expect(try await redis.command("GET", "\(backfill):completed").isNull, "ready before the backfill ended")
        try await waitUntil("the backfill checkpointed 2,000 orders", limit: .seconds(120)) {
            let saved = try await redis.command("GET", "\(backfill):checkpoint").bytes.flatMap {
                try? MigrationCheckpoint.decode(from: Data($0))
            }
            return (saved?.completed ?? 0) >= 2_000
        }
        let second = try await replica(1)
        try await waitUntilHealthy(ports[1], second)
        #expect(try await redis.command("GET", "\(backfill):lease").string?.contains("replica-1") == true)

        // replica-2's events stream shows the backfill replica-1 runs, with its progress, read from Redis.
        let stream = try await ChildProcess.run(
            "/usr/bin/env",
            [
                "curl", "-sN", "--max-time", "3", "-H", "Authorization: Bearer t0ken",
                "http://127.0.0.1:\(ports[1])/migrations/events",
            ], timeout: .seconds(20))
        let rows = stream.standardOutput.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.compactMap {
            try? MigrationJSON.decoder().decode(MigrationStatusRow.self, from: Data($0.dropFirst(6).utf8))
        }
        let shown = rows.filter { $0.name == "2025-04-02-backfill-order-totals" }
        #expect(stream.standardOutput.contains("event: status"), "\(stream)")
        #expect(
            shown.contains { $0.holder?.triggeredBy == "replica-1" && ($0.progress?.completed ?? 0) > 0 }, "\(shown)")
        #expect(shown.count >= 2, "the progress of the running backfill was sent once: \(shown.count)")

        first.signal(SIGTERM)
        try await waitUntil("replica-1 released the lease", limit: .seconds(10), interval: .milliseconds(10)) {
            try await redis.command("GET", "\(backfill):lease").string?.contains("replica-1") != true
        }
        let outcome = try await first.wait(timeout: .seconds(20))
        #expect(outcome.status == 0, "a graceful shutdown mid-backfill is not a failure: \(outcome)")
        #expect((outcome.standardOutput + outcome.standardError).contains("migration interrupted"), "\(outcome)")

        try await waitUntil("replica-2's worker completed the backfill", limit: .seconds(120)) {
            try await redis.command("GET", "\(backfill):completed").string == "true"
        }
        let result = try MigrationResult.decode(
            from: Data(try #require(try await redis.command("GET", "\(backfill):result").bytes)))
        #expect(result.triggeredBy == "replica-2")
        #expect(result.attempts == 2)
        #expect((result.resumedFrom?.completed ?? 0) >= 2_000, "replica-2 did not resume from the checkpoint")
        #expect(result.recordsProcessed == 20_000)
        #expect(
            try await redis.command("EXISTS", "\(backfill):error").int == 0, "the shutdown was recorded as an error")
        let database = try DatabaseQueue(path: "\(work)/data/example.sqlite")
        let unfilled = try await database.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM orders WHERE total_cents IS NULL")
        }
        #expect(unfilled == 0)
        second.signal(SIGTERM)
        #expect(try await second.wait(timeout: .seconds(20)).status == 0)
    }

    @Test("compose.yaml is valid and runs the same replica command and settings as scripts/demo.sh")
    func composeMatchesTheDemo() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        // Awaited, not waited for: a blocking wait would hold one of the few threads every test shares.
        let outcome = try await ChildProcess.run(
            "/usr/bin/env", ["docker-compose", "-f", "\(root)/compose.yaml", "config"], timeout: .seconds(60))
        let text = outcome.standardOutput + outcome.standardError
        #expect(outcome.status == 0, "docker-compose config failed (is docker-compose installed?):\n\(text)")
        for expected in [
            "- --appendonly", "- \"yes\"", "- --maxmemory-policy", "- noeviction", "healthcheck:", "replicas: 3",
            "REDIS_URL: redis://redis:6379", "- migrations", "- serve", "- --lease-ttl", "- '10'",
            "http://127.0.0.1:8080/health/ready",
        ] {
            #expect(text.contains(expected), "compose config lacks \(expected)")
        }
        let demo = try String(contentsOfFile: "\(root)/scripts/demo.sh", encoding: .utf8)
        #expect(demo.contains("example-service\" serve"))
        #expect(demo.contains("--lease-ttl 10"))
        #expect(demo.contains("--appendonly yes --maxmemory-policy noeviction"))
        for setting in ["TENANT_ACME_PLAN=enterprise", "TENANT_ACME_REGION=eu-west", "TENANT_GLOBEX_PLAN=starter"] {
            #expect(demo.contains(setting))
            let parts = setting.split(separator: "=")
            #expect(text.contains("\(parts[0]): \(parts[1])"))
        }
    }
}
