import Foundation
import Migrations
import MigrationsRedis
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Synchronization
import Testing

extension FaultDrills {
    @Suite("R10 ambiguous acquire", .timeLimit(.minutes(5)))
    struct AmbiguousAcquireDrill {
        private static let prefix = "r10"

        private func harness(_ server: RedisServer, timeToLive: Duration) async throws -> DrillHarness {
            // Loads the scripts (SCRIPT LOAD is server-wide), so a delayed EVALSHA runs instead of answering
            // NOSCRIPT. The warm-up gets a harness of its own with a long lease and the normal command timeout:
            // with the drill's 150 ms timeout and short lease it was lost in the suite's busiest minute.
            let warming = try await DrillHarness.start(
                [countingMigration("warm-up")], on: server, prefix: Self.prefix, leaseTimeToLive: .seconds(30))
            let warmUp = try await warming.runner.run("warm-up", context: warming.context)
            #expect(warmUp.status == .completed, "\(warmUp.error ?? "")")

            var configuration = server.configuration()
            configuration.commandTimeout = .milliseconds(150)
            return try await DrillHarness.start(
                [countingMigration("a")], on: server, configuration: configuration, prefix: Self.prefix,
                leaseTimeToLive: timeToLive)
        }

        private func expectRanOnceAndLeftNoLease(_ server: RedisServer, _ harness: DrillHarness) async throws {
            #expect(try await harness.context.executions(of: "a") == 1)
            #expect(try await server.string("\(Self.prefix):a:completed") == "true")
            #expect(try await server.command("EXISTS", "\(Self.prefix):a:lease").int == 0, "the lease leaked")
        }

        /// Proves that when the server is paused (`CLIENT PAUSE … ALL`) for longer than the command timeout
        /// while the acquire script is in flight, the runner does not guess: it reads the lease back by its
        /// token once the server answers (Redis drops the paused script when the client gives up, so the lease
        /// is not there), takes it afresh, runs the migration exactly once and leaves no lease behind.
        @Test(
            "CLIENT PAUSE longer than the command timeout during acquire: resolved by token, one run, no leaked lease",
            .timeLimit(.minutes(1)))
        func clientPauseDuringAcquire() async throws {
            let server = try await RedisServer.start()
            let harness = try await harness(server, timeToLive: .seconds(10))
            try await server.command("CLIENT", "PAUSE", "400", "ALL")
            let started = ContinuousClock.now
            let result = try await harness.runner.run("a", context: harness.context)
            #expect(result.status == .completed, "\(result.error ?? "")")
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(result.fencingToken == 1, "the paused script was dropped, so the fresh acquisition is the first")
            try await expectRanOnceAndLeftNoLease(server, harness)
        }

        /// Proves the branch where the acquire script did run but its reply was lost (the server was busy past
        /// the command timeout, then ran the queued script): the runner finds its own token in the lease,
        /// owns it, runs once with the fence that acquisition got, and releases it.
        @Test(
            "a lost reply to an acquire that did run: the runner recognises its token and runs once",
            .timeLimit(.minutes(1)))
        func lostReplyOfASuccessfulAcquire() async throws {
            let server = try await RedisServer.start(configuration: .init(extraConfig: ["enable-debug-command yes"]))
            let harness = try await harness(server, timeToLive: .seconds(10))
            let sleeper = try await server.connect()
            async let busy = sleeper.send(["DEBUG", "SLEEP", "0.4"], timeout: .seconds(5))
            try await Task.sleep(for: .milliseconds(50))
            let result = try await harness.runner.run("a", context: harness.context)
            _ = try await busy
            #expect(result.status == .completed, "\(result.error ?? "")")
            #expect(
                result.fencingToken == 1,
                "the lost acquisition was not recognised as ours (fence \(String(describing: result.fencingToken)))")
            #expect(try await server.calls(of: "sadd") == 0, "the runner waited for a lease that was its own")
            try await expectRanOnceAndLeftNoLease(server, harness)
        }

        /// Proves the branch where the script that records a completion and takes the next migration's lease
        /// (`runPending` between two migrations) did run but its reply was lost: the runner confirms the
        /// completion instead of reporting it failed, recognises the next lease as its own by its token
        /// instead of waiting out its TTL, runs each migration once and leaves no lease behind.
        @Test(
            "a lost reply to a completion that took the next lease: confirmed, the next lease recognised, each runs once",
            .timeLimit(.minutes(1)))
        func lostReplyOfACompletionThatTookTheNextLease() async throws {
            let server = try await RedisServer.start(configuration: .init(extraConfig: ["enable-debug-command yes"]))
            // Loads the completion script that takes the next lease, as `harness` loads the others.
            let warming = try await DrillHarness.start(
                [countingMigration("warm-0"), countingMigration("warm-1")], on: server, prefix: Self.prefix,
                leaseTimeToLive: .seconds(30))
            #expect(try await warming.runner.runPending(context: warming.context).count == 2)

            let sleeper = try await server.connect()
            let busy = Task<Void, any Error> {}
            let busyServer = Mutex(busy)
            // `a` makes the server busy past the command timeout just before its completion is sent.
            let a = ClosureMigration<DrillContext>(name: "a") { context in
                try await context.app.recordExecution(of: "a")
                busyServer.withLock {
                    $0 = Task { _ = try await sleeper.send(["DEBUG", "SLEEP", "0.4"], timeout: .seconds(5)) }
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            var configuration = server.configuration()
            configuration.commandTimeout = .milliseconds(150)
            let harness = try await DrillHarness.start(
                [a, countingMigration("b")], on: server, configuration: configuration, prefix: Self.prefix,
                leaseTimeToLive: .seconds(10))
            let started = ContinuousClock.now
            let results = try await harness.runner.runPending(context: harness.context)
            try await busyServer.withLock { $0 }.value
            #expect(results.map(\.status) == [.completed, .completed], "\(results.map { $0.error ?? "" })")
            #expect(ContinuousClock.now - started < .seconds(5), "the runner waited out the next lease's TTL")
            #expect(
                results.last?.fencingToken == 1,
                "the lease taken with the lost reply was not recognised as ours (fence \(String(describing: results.last?.fencingToken)))"
            )
            #expect(try await server.calls(of: "sadd") == 0, "the runner waited for a lease that was its own")
            for name in ["a", "b"] {
                #expect(try await harness.context.executions(of: name) == 1)
                #expect(try await server.string("\(Self.prefix):\(name):completed") == "true")
                #expect(try await server.command("EXISTS", "\(Self.prefix):\(name):lease").int == 0, "a lease leaked")
            }
        }

        /// Proves that when the server stays unresponsive for longer than the runner is willing to find out,
        /// the run fails with an error saying the outcome is unknown and bounded by the TTL, runs nothing, and
        /// any lease it may have taken expires within the TTL, after which the next run completes exactly once.
        @Test(
            "a server mute past the whole resolution: a clear error, nothing ran, the lease expires, a retry runs once",
            .timeLimit(.minutes(1)))
        func unresolvableAcquireFailsClearlyAndExpires() async throws {
            let server = try await RedisServer.start(configuration: .init(extraConfig: ["enable-debug-command yes"]))
            let harness = try await harness(server, timeToLive: .milliseconds(900))
            let sleeper = try await server.connect()
            async let busy = sleeper.send(["DEBUG", "SLEEP", "1.5"], timeout: .seconds(5))
            try await Task.sleep(for: .milliseconds(50))
            let error = await #expect(throws: MigrationError.self) {
                _ = try await harness.runner.run("a", context: harness.context)
            }
            _ = try await busy
            #expect(
                error?.message.contains("could not find out whether") == true, "\(String(describing: error?.message))")
            #expect(error?.message.contains("\(Self.prefix):a:lease") == true)
            #expect(try await harness.context.executions(of: "a") == 0)

            let left = try await server.command("PTTL", "\(Self.prefix):a:lease").int ?? -2
            #expect(left <= 900, "a lease without a bounded TTL: \(left) ms")
            try await waitUntil("the possibly-taken lease expired", limit: .seconds(3)) {
                try await server.command("EXISTS", "\(Self.prefix):a:lease").int == 0
            }
            // The retry runs with a lease and command timeout that a loaded machine cannot lose.
            let retrying = try await DrillHarness.start(
                [countingMigration("a")], on: server, prefix: Self.prefix, leaseTimeToLive: .seconds(30))
            let retry = try await retrying.runner.run("a", context: retrying.context)
            #expect(retry.status == .completed, "\(retry.error ?? "")")
            try await expectRanOnceAndLeftNoLease(server, retrying)
        }
    }
}
