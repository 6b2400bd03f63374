import Foundation
import Migrations
import RedisClient
import RedisTestSupport
import Testing

extension FaultDrills {
    @Suite("R7 foreign data under our keys", .timeLimit(.minutes(5)))
    struct ForeignDataDrill {
        /// One migration whose keys another program wrote to, and what it wrote.
        private struct Pollution: Sendable {
            let name: String
            let key: String
            let commands: [[String]]
        }

        private static let prefix = "r7"

        private static let pollutions: [Pollution] = [
            Pollution(
                name: "completed-list", key: "completed", commands: [["RPUSH", "r7:completed-list:completed", "x"]]),
            Pollution(
                name: "completed-yes", key: "completed", commands: [["SET", "r7:completed-yes:completed", "yes"]]),
            Pollution(
                name: "result-garbage", key: "result",
                commands: [
                    ["SET", "r7:result-garbage:completed", "true"], ["SET", "r7:result-garbage:result", "{not json"],
                ]),
            Pollution(
                name: "result-foreign-json", key: "result",
                commands: [
                    ["SET", "r7:result-foreign-json:completed", "true"],
                    ["SET", "r7:result-foreign-json:result", "{\"rows\":42}"],
                ]),
            Pollution(
                name: "result-set", key: "result",
                commands: [["SET", "r7:result-set:completed", "true"], ["SADD", "r7:result-set:result", "x"]]),
            Pollution(name: "error-zset", key: "error", commands: [["ZADD", "r7:error-zset:error", "1", "x"]]),
            Pollution(name: "lease-hash", key: "lease", commands: [["HSET", "r7:lease-hash:lease", "a", "b"]]),
            Pollution(name: "lease-garbage", key: "lease", commands: [["SET", "r7:lease-garbage:lease", "garbage"]]),
            Pollution(name: "progress-list", key: "progress", commands: [["RPUSH", "r7:progress-list:progress", "x"]]),
        ]

        private func harness() async throws -> DrillHarness {
            let server = try await RedisServer.start()
            let names =
                ["good-done", "good-pending"] + Self.pollutions.map(\.name) + ["progress-garbage", "fence-text"]
            let harness = try await DrillHarness.start(
                names.map { countingMigration($0) }, on: server, prefix: Self.prefix)
            #expect(try await harness.runner.run("good-done", context: harness.context).status == .completed)
            let connection = try await server.connect()
            for pollution in Self.pollutions {
                for reply in try await connection.pipeline(pollution.commands) {
                    if case .error(let message) = reply { Issue.record("seeding \(pollution.name): \(message)") }
                }
            }
            try await connection.send(["SET", "r7:progress-garbage:progress", "{bad", "PX", "60000"])
            try await connection.send(["SET", "r7:fence-text:fence", "abc"])
            return harness
        }

        /// Proves that status still lists every migration, in order, when some of their keys hold another
        /// program's data (wrong types, JSON that is not ours, a marker that is not `true`): the healthy ones
        /// show their real state, and each polluted one is `unknown` with a problem naming the exact key.
        @Test("status lists every migration and names each key holding foreign data", .timeLimit(.minutes(1)))
        func statusNamesForeignKeys() async throws {
            let harness = try await harness()
            let statuses = try await harness.runner.status(context: harness.context)
            #expect(statuses.map(\.name) == harness.runner.registry.names)
            let byName = Dictionary(uniqueKeysWithValues: statuses.map { ($0.name, $0) })
            #expect(byName["good-done"]?.state == .completed)
            #expect(byName["good-done"]?.problem == nil)
            #expect(byName["good-pending"]?.state == .pending)
            for pollution in Self.pollutions {
                let status = try #require(byName[pollution.name])
                let key = "\(Self.prefix):\(pollution.name):\(pollution.key)"
                #expect(status.state == .unknown, "\(pollution.name) is \(status.state)")
                #expect(
                    status.problem?.contains(key) == true,
                    "\(pollution.name): \(status.problem ?? "no problem reported")")
            }
            #expect(byName["progress-garbage"]?.problem?.contains("r7:progress-garbage:progress") == true)

        }

        /// Proves that running a migration whose keys hold foreign data either refuses with an error that
        /// names the offending key and runs nothing, or, where the data only shadows a completed marker,
        /// skips it; healthy migrations beside them still run.
        @Test(
            "running over foreign data fails clearly, naming the key, and never runs the step", .timeLimit(.minutes(1)))
        func runningOverForeignDataFailsClearly() async throws {
            let harness = try await harness()
            let (server, runner) = (harness.server, harness.runner)
            let refuse = MigrationRunOptions(whenHeldElsewhere: .fail)

            let leaseError = await #expect(throws: MigrationError.self) {
                try await runner.run("lease-hash", context: harness.context, options: refuse)
            }
            #expect(
                leaseError?.message.contains("r7:lease-hash:lease") == true,
                "\(String(describing: leaseError?.message))")
            #expect(leaseError?.message.contains("WRONGTYPE") == true)

            let markerError = await #expect(throws: MigrationError.self) {
                try await runner.run("completed-list", context: harness.context, options: refuse)
            }
            #expect(markerError?.message.contains("WRONGTYPE") == true, "\(String(describing: markerError?.message))")
            #expect(
                markerError?.message.contains("r7:completed-list:completed") == true,
                "\(String(describing: markerError?.message))")

            let fenceError = await #expect(throws: MigrationError.self) {
                try await runner.run("fence-text", context: harness.context, options: refuse)
            }
            #expect(
                fenceError?.message.contains("r7:fence-text:fence") == true,
                "\(String(describing: fenceError?.message))")

            let garbageLease = await #expect(throws: MigrationError.self) {
                try await runner.run("lease-garbage", context: harness.context, options: refuse)
            }
            #expect(
                garbageLease?.message.contains("r7:lease-garbage:lease") == true,
                "\(String(describing: garbageLease?.message))")

            for name in ["result-garbage", "result-foreign-json", "result-set"] {
                #expect(
                    try await runner.run(name, context: harness.context).status == .skipped,
                    "\(name) is marked completed")
            }
            #expect(try await runner.run("error-zset", context: harness.context).status == .completed)
            #expect(
                try await server.command("TYPE", "r7:error-zset:error").string == "none",
                "the completion cleared the foreign :error")
            #expect(try await runner.run("good-pending", context: harness.context).status == .completed)

            for name in [
                "lease-hash", "completed-list", "fence-text", "lease-garbage", "result-garbage", "result-foreign-json",
                "result-set",
            ] {
                #expect(try await harness.context.executions(of: name) == 0, "\(name)'s up ran")
            }
            let yes = try? await runner.run("completed-yes", context: harness.context, options: refuse)
            let yesRuns = try await harness.context.executions(of: "completed-yes")
            #expect(yes == nil && yesRuns == 0, "ran \(yesRuns) times, ended \(String(describing: yes?.status))")

        }
    }
}
