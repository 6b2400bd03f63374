import Foundation
import Migrations
import MigrationsTestSupport
import RedisClient
import RedisTestSupport
import Testing

extension FaultDrills {
    @Suite("R11 the lease covers the whole attempt", .timeLimit(.minutes(5)))
    struct SupervisedAttemptDrill {
        /// A `validate` twice as long as the TTL: before, nothing renewed the lease during `validate`, so a
        /// waiting replica took it over and both ran `up`. Now the supervisor renews from acquisition on.
        @Test("a validate twice the TTL on two processes: up runs once, one completion, one acquisition")
        func slowValidateKeepsTheLease() async throws {
            let server = try await RedisServer.start()
            let prefix = "r11"
            let common = [
                "--url", server.url, "--prefix", prefix, "--count", "1", "--only", "drill-0", "--ttl-ms", "1000",
                "--validate-ms", "2000",
            ]
            let first = try await ChildProcess.drillWorker(common)
            try await waitUntil("the first process holds the lease") {
                try await server.command("EXISTS", "\(prefix):drill-0:lease").int == 1
            }
            let second = try await ChildProcess.drillWorker(common)
            #expect(await first.exitStatus(within: .seconds(30)) == 0, "\(first.standardError)")
            #expect(await second.exitStatus(within: .seconds(30)) == 0, "\(second.standardError)")

            #expect(try await server.string("\(prefix)-count:drill-0") == "1", "up ran more than once")
            #expect(try await server.string("\(prefix):drill-0:completed") == "true")
            #expect(try await server.string("\(prefix):drill-0:fence") == "1", "the lease was acquired twice")
            let statuses = (first.outputObjects + second.outputObjects).compactMap { $0["status"] as? String }
            #expect(statuses.sorted() == ["completed", "skipped"], "\(first.standardOutput)\(second.standardOutput)")
        }

        /// A step that ignores cancellation past its timeout: before, the lease stopped being renewed at the
        /// timeout, and a waiting replica started `up` while the first one still ran.
        @Test("a step ignoring cancellation past its timeout keeps its lease until it returns; then the next runs it")
        func stubbornStepKeepsItsLeaseUntilItReturns() async throws {
            let server = try await RedisServer.start()
            let prefix = "r11b"
            let common = [
                "--url", server.url, "--prefix", prefix, "--count", "1", "--only", "drill-0", "--ttl-ms", "3000",
            ]
            let stubborn = try await ChildProcess.drillWorker(
                common + ["--timeout-ms", "300", "--stubborn-ms", "7000"])
            try await waitUntil("the stubborn step runs") {
                try await server.command("LLEN", "\(prefix)-runs:drill-0").int == 1
            }
            let successor = try await ChildProcess.drillWorker(common)
            #expect(await stubborn.exitStatus(within: .seconds(30)) == 1, "\(stubborn.standardError)")
            #expect(await successor.exitStatus(within: .seconds(30)) == 0, "\(successor.standardError)")

            let runs = try await server.command("LRANGE", "\(prefix)-runs:drill-0", "0", "-1").array ?? []
            let ends = try await server.command("LRANGE", "\(prefix)-ends:drill-0", "0", "-1").array ?? []
            #expect(runs.count == 2 && ends.count == 1, "runs \(runs), ends \(ends)")
            let stubbornEnd = Self.milliseconds(ends.first)
            let successorStart = Self.milliseconds(runs.last)
            #expect(
                successorStart >= stubbornEnd,
                "the successor started up \(stubbornEnd - successorStart) ms before the stubborn step returned")

            let failure = try #require(stubborn.outputObjects.first)
            #expect(failure["failure"] as? String == "timeout", "\(stubborn.standardOutput)")
            let message = failure["error"] as? String ?? ""
            #expect(message.contains("ignored cancellation for"), "\(message)")
            #expect(successor.outputObjects.first?["status"] as? String == "completed", "\(successor.standardOutput)")
            #expect(try await server.string("\(prefix):drill-0:completed") == "true")
            #expect(try await server.string("\(prefix):drill-0:fence") == "2")
        }

        /// `"<pid> <server ms>"` → the milliseconds.
        private static func milliseconds(_ entry: RedisReply?) -> Int {
            Int(entry?.string?.split(separator: " ").last ?? "") ?? 0
        }
    }
}
