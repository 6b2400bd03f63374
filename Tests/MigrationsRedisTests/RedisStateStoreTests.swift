import Foundation
import Migrations
import MigrationsRedis
import RedisClient
import RedisTestSupport
import Testing

@Suite("Redis state store", .timeLimit(.minutes(5)))
struct RedisStateStoreTests {
    @Test("a completed run writes migration:<name>:completed = true and the result JSON, with no expiry")
    func completedRunWritesTheWellKnownKeys() async throws {
        let harness = try await RedisHarness.start([countingMigration("2025-01-15-import-users")])
        let result = try await harness.runner.run("2025-01-15-import-users", context: harness.app)
        #expect(result.status == .completed)
        #expect(try await harness.get("migration:2025-01-15-import-users:completed") == "true")
        let json = try #require(try await harness.get("migration:2025-01-15-import-users:result"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for field in [
            "name", "status", "duration", "startedAt", "finishedAt", "triggeredBy", "host", "pid", "attempts",
            "fencingToken",
        ] {
            #expect(object[field] != nil, "result JSON lacks \(field)")
        }
        #expect(object["status"] as? String == "completed")
        #expect(object["fencingToken"] as? Int == 1)
        #expect(try await harness.server.command("TTL", "migration:2025-01-15-import-users:completed").int == -1)
        #expect(try await harness.server.command("TTL", "migration:2025-01-15-import-users:result").int == -1)
        #expect(try await harness.server.command("EXISTS", "migration:2025-01-15-import-users:lease").int == 0)
        #expect(try await harness.app.count("2025-01-15-import-users") == 1)
    }

    @Test("a failed run writes migration:<name>:error; a later success deletes it")
    func failureWritesTheErrorKey() async throws {
        let harness = try await RedisHarness.start([countingMigration("a", fail: true)])
        let result = try await harness.runner.run("a", context: harness.app)
        #expect(result.status == .failed)
        #expect(try await harness.get("migration:a:error") == "deliberate failure")
        #expect(try await harness.get("migration:a:completed") == nil)
        #expect(try await harness.server.command("EXISTS", "migration:a:lease").int == 0)

        let fixed = try await RedisHarness.start([countingMigration("a")], server: harness.server)
        #expect(try await fixed.runner.run("a", context: fixed.app).status == .completed)
        #expect(try await harness.get("migration:a:error") == nil)
    }

    @Test("rollback and reset clear :completed; the prefix is configurable")
    func rollbackAndResetClearCompletion() async throws {
        let harness = try await RedisHarness.start([countingMigration("a"), countingMigration("b")], prefix: "billing")
        _ = try await harness.runner.runPending(context: harness.app)
        #expect(try await harness.get("billing:a:completed") == "true")
        #expect(try await harness.get("migration:a:completed") == nil)

        #expect(try await harness.runner.rollback("a", context: harness.app).status == .rolledBack)
        #expect(try await harness.get("billing:a:completed") == nil)
        let rolledBack = try MigrationResult.decode(
            from: Data(try #require(try await harness.get("billing:a:result")).utf8))
        #expect(rolledBack.status == .rolledBack)

        try await harness.backend.stateStore.reset("b")
        #expect(try await harness.get("billing:b:completed") == nil)
        let pending = try await harness.runner.runPending(context: harness.app)
        #expect(pending.map(\.name) == ["a", "b"])
    }

    @Test("reading the state of 500 migrations is one round trip")
    func batchReadIsOneRoundTrip() async throws {
        let harness = try await RedisHarness.start([])
        let names = (0..<500).map { "m-\($0)" }
        try await harness.server.command("SET", "migration:m-7:completed", "true")
        let before = harness.backend.connection.roundTrips
        let states = try await harness.backend.stateStore.states(for: names)
        #expect(harness.backend.connection.roundTrips - before == 1)
        #expect(states.count == 500)
        #expect(states["m-7"]?.isCompleted == true)
        #expect(states["m-8"]?.isCompleted == false)
    }

    @Test(
        "a key of another type sends only its batch of 100 back to be read key by key, with the leases' PTTL, and every other state is intact"
    )
    func foreignTypeRereadsOnlyItsBatch() async throws {
        let harness = try await RedisHarness.start([])
        let names = (0..<250).map { "m-\($0)" }
        let lease = RedisLeaseValue(
            token: "t", host: "elsewhere", pid: 7, triggeredBy: "test", acquiredAt: Date(timeIntervalSince1970: 0),
            fencingToken: 3, ttlMs: 60_000)
        let leaseJSON = String(decoding: try MigrationJSON.encode(lease), as: UTF8.self)
        try await harness.server.command("SET", "migration:m-5:completed", "true")
        try await harness.server.command("SET", "migration:m-120:lease", leaseJSON, "PX", "60000")
        try await harness.server.command("SET", "migration:m-120:fence", "3")
        try await harness.server.command("SET", "migration:m-130:error", "boom")
        try await harness.server.command("SET", "migration:m-240:lease", leaseJSON)

        var before = harness.backend.connection.roundTrips
        let clean = try await harness.backend.stateStore.states(for: names)
        #expect(harness.backend.connection.roundTrips - before == 2, "three MGETs, then the PTTL of the two leases")
        #expect(clean.values.allSatisfy { $0.problem == nil })

        try await harness.server.command("HSET", "migration:m-150:progress", "x", "1")
        before = harness.backend.connection.roundTrips
        let states = try await harness.backend.stateStore.states(for: names)
        #expect(
            harness.backend.connection.roundTrips - before == 2,
            "the leases' PTTL and the batch of m-100…m-199 again, key by key, in one pipeline")
        #expect(states.count == 250)
        #expect(states["m-150"]?.problem?.contains("migration:m-150:progress: WRONGTYPE") == true)
        #expect(states.filter { $0.value.problem != nil }.map(\.key) == ["m-150"])
        for state in [clean, states] {
            #expect(state["m-5"]?.isCompleted == true)
            #expect(state["m-6"]?.isCompleted == false)
            #expect(state["m-130"]?.lastError == "boom")
            let held = try #require(state["m-120"]?.holder)
            #expect(held.host == "elsewhere")
            #expect(state["m-120"]?.fencingToken == 3)
            #expect((1...60_000).contains(held.ttlMilliseconds ?? 0), "the PTTL of a lease with an expiry")
            #expect(state["m-240"]?.holder != nil)
            #expect(state["m-240"]?.holder?.ttlMilliseconds == nil, "a lease without an expiry has no TTL left")
            #expect(state["m-121"]?.holder == nil)
        }
    }

    @Test("a start-up where every migration completed is one MGET round trip and runs nothing")
    func allCompletedStartUpIsOneRoundTrip() async throws {
        let names = (0..<1500).map { "done-\($0)" }
        let harness = try await RedisHarness.start(names.map { countingMigration($0) })
        for chunk in stride(from: 0, to: names.count, by: 500) {
            var command = ["MSET"]
            for name in names[chunk..<min(chunk + 500, names.count)] {
                command += ["migration:\(name):completed", "true"]
            }
            _ = try await harness.backend.connection.send(command)
        }
        try await harness.server.command("CONFIG", "RESETSTAT")
        let before = harness.backend.connection.roundTrips
        #expect(try await harness.runner.runPending(context: harness.app).isEmpty)
        #expect(harness.backend.connection.roundTrips - before == 1, "two MGETs of 1,000 and 500 keys, one pipeline")
        // Only the markers are read: no GET of a result, lease, checkpoint or anything else.
        let stats = try await harness.server.command("INFO", "commandstats").string ?? ""
        func calls(_ command: String) -> Int {
            guard
                let line = stats.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_\(command):") }
                ),
                let field = line.split(separator: ",").first?.split(separator: "=").last
            else { return 0 }
            return Int(field) ?? -1
        }
        #expect(calls("mget") == 2, "\(stats)")
        #expect(calls("get") == 0, "\(stats)")
        #expect(calls("pttl") == 0, "\(stats)")
        for name in names.prefix(3) { #expect(try await harness.app.count(name) == 0) }
    }

    @Test("a completion marker holding something else is not taken for completed: the full read reports it")
    func foreignCompletionMarkerIsNotCompleted() async throws {
        let harness = try await RedisHarness.start([countingMigration("a"), countingMigration("b")])
        try await harness.server.command("SET", "migration:a:completed", "true")
        try await harness.server.command("SET", "migration:b:completed", "yes")
        let completed = try await harness.backend.stateStore.completedNames(among: ["a", "b", "c"])
        #expect(completed == ["a"])
        let status = try await harness.runner.status(context: harness.app)
        #expect(status.first { $0.name == "b" }?.state == .unknown)
        #expect(try await harness.app.count("b") == 0)
    }

    @Test("hostile names get their own keys, never each other's, and read back exactly")
    func hostileNamesNeverCollide() async throws {
        let names = [
            "a", "a:completed", "a:b", "a:b:c", "*", "?", "[x]", "{tag}", "with space", "ünïcödé 迁移 🚀",
            "../x", "a:lease", "completed", String(repeating: "k", count: 128),
        ]
        let harness = try await RedisHarness.start(names.map { countingMigration($0) })
        let results = try await harness.runner.runPending(context: harness.app)
        #expect(results.count == names.count)
        #expect(results.allSatisfy { $0.status == .completed })
        for name in names {
            #expect(try await harness.get("migration:\(name):completed") == "true")
            let stored = try MigrationResult.decode(
                from: Data(try #require(try await harness.get("migration:\(name):result")).utf8))
            #expect(stored.name == name)
            #expect(try await harness.app.count(name) == 1)
        }
        let keys = try await harness.server.command("KEYS", "migration:*:completed").array ?? []
        #expect(keys.count == names.count)
        let status = try await harness.runner.status(context: harness.app)
        #expect(status.allSatisfy { $0.state == .completed })
    }

    @Test("a 1 KB name is refused at registration with the maximum in the message")
    func oneKilobyteNameIsRefused() {
        let error = #expect(throws: MigrationError.self) {
            try MigrationRegistry<CountingApp>([countingMigration(String(repeating: "n", count: 1024))])
        }
        #expect(error?.message.contains("maximum is 128 bytes") == true)
    }

    @Test("a foreign list at :completed is a clear error naming the key, and status lists the others")
    func wrongTypeIsReportedByKey() async throws {
        let harness = try await RedisHarness.start([countingMigration("good"), countingMigration("bad")])
        try await harness.server.command("RPUSH", "migration:bad:completed", "x")
        try await harness.server.command("SET", "migration:good:result", "{not json")
        let status = try await harness.runner.status(context: harness.app)
        #expect(status.map(\.name) == ["good", "bad"])
        #expect(status[1].state == .unknown)
        #expect(status[1].problem?.contains("migration:bad:completed: WRONGTYPE") == true)
        #expect(status[0].problem?.contains("migration:good:result") == true)

        let error = await #expect(throws: MigrationError.self) {
            try await harness.runner.run("bad", context: harness.app)
        }
        #expect(error?.description.contains("WRONGTYPE") == true)
        #expect(try await harness.app.count("bad") == 0)
        #expect(try await harness.server.command("EXISTS", "migration:bad:lease").int == 0)
    }

    @Test("SCRIPT FLUSH between calls is handled and nothing runs twice")
    func scriptFlushIsHandled() async throws {
        let harness = try await RedisHarness.start([countingMigration("a"), countingMigration("b")])
        #expect(try await harness.runner.run("a", context: harness.app).status == .completed)
        try await harness.server.command("SCRIPT", "FLUSH")
        #expect(try await harness.runner.run("a", context: harness.app).status == .skipped)
        #expect(try await harness.runner.run("b", context: harness.app).status == .completed)
        #expect(try await harness.app.count("a") == 1)
        #expect(try await harness.app.count("b") == 1)
    }

    @Test("a Redis restart mid-run loses no completed marker and the runner reconnects")
    func restartLosesNothing() async throws {
        var options = RedisServer.Options()
        options.appendOnly = true
        let names = (0..<6).map { "r-\($0)" }
        let harness = try await RedisHarness.start(names.map { countingMigration($0) }, serverOptions: options)
        _ = try await harness.runner.run("r-0", context: harness.app)
        _ = try await harness.runner.run("r-1", context: harness.app)
        try await harness.server.restart()
        #expect(try await harness.get("migration:r-0:completed") == "true")
        #expect(try await harness.get("migration:r-1:completed") == "true")
        // The first call on each old connection (the runner's, the migrations' own) fails with a transport
        // error; the next reconnects. Run until everything completed, as a restarted service would.
        var completed: Set<String> = ["r-0", "r-1"]
        for _ in 0..<5 where completed.count < names.count {
            do {
                let results = try await harness.runner.runPending(context: harness.app)
                completed.formUnion(results.filter { $0.status == .completed }.map(\.name))
            } catch let error as MigrationError {
                #expect(error.cause is RedisError, "not a Redis failure: \(error)")
            }
        }
        #expect(completed == Set(names))
        for name in names {
            #expect(try await harness.get("migration:\(name):completed") == "true")
        }
        #expect(try await harness.app.count("r-0") == 1)
    }

    @Test("reads and acquiring ride out a server that is still loading its data set after a restart")
    func loadingServerIsRiddenOut() async throws {
        var options = RedisServer.Options()
        // 100 µs a key, answering LOADING while at it: 20,000 keys load for about 2 s after each restart.
        options.extraConfig = ["key-load-delay 100", "loading-process-events-interval-bytes 1024"]
        let names = (0..<4).map { "l-\($0)" }
        let harness = try await RedisHarness.start(names.map { countingMigration($0) }, serverOptions: options)
        _ = try await harness.runner.run("l-0", context: harness.app)
        let filler = try await harness.server.connect()
        for batch in 0..<20 {
            _ = try await filler.pipeline((0..<1000).map { ["SET", "filler:\(batch):\($0)", "x"] })
        }
        try await harness.server.command("SAVE")
        try await harness.server.restart(untilLoaded: false)
        let loading = await #expect(throws: RedisError.self) { try await harness.server.command("GET", "filler:0:0") }
        #expect(
            loading?.code == .loading, "the server was not loading after the restart: \(String(describing: loading))")

        let states = try await harness.backend.stateStore.states(for: names)
        #expect(states["l-0"]?.isCompleted == true, "\(String(describing: states["l-0"]))")

        try await harness.server.restart(untilLoaded: false)
        let request = LeaseRequest(
            name: "l-1", holder: LeaseHolder(host: "h", pid: 1, triggeredBy: "tests"), skipIfCompleted: true)
        try await harness.backend.connection.reconnect()  // connecting works while the server loads
        guard case .acquired(let lease, _) = try await harness.backend.leaseProvider.acquire(request) else {
            Issue.record("not acquired after the restart")
            return
        }
        try await lease.release()
        try await harness.app.redis.reconnect()
        let results = try await harness.runner.runPending(context: harness.app)
        #expect(results.map(\.status) == [.completed, .completed, .completed], "\(results)")
        #expect(try await harness.app.count("l-0") == 1)
    }

    @Test("a wrong password and an unreachable port are clear errors in bounded time, with no password")
    func connectionFailuresAreClear() async throws {
        var options = RedisServer.Options()
        options.password = "s3cret-pw"
        let server = try await RedisServer.start(configuration: options)
        let wrong = try RedisConfiguration(url: "redis://:wrong-pw@127.0.0.1:\(server.port)")
        let authError = await #expect(throws: RedisError.self) {
            _ = try await RedisMigrationBackend.connect(configuration: wrong)
        }
        #expect(authError?.code == .authenticationFailed)
        #expect(authError?.description.contains("wrong-pw") == false)
        #expect(authError?.description.contains("s3cret-pw") == false)

        let closedPort = server.port
        server.stop()
        let started = ContinuousClock.now
        var unreachable = try RedisConfiguration(url: "redis://:s3cret-pw@127.0.0.1:\(closedPort)")
        unreachable.connectTimeout = .seconds(1)
        let transport = await #expect(throws: RedisError.self) {
            _ = try await RedisMigrationBackend.connect(configuration: unreachable)
        }
        #expect(transport?.isTransport == true)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(transport?.description.contains("s3cret-pw") == false)
    }
}
