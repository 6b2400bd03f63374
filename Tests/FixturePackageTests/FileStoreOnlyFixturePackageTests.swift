import Foundation
import MigrationsTestSupport
import Testing

/// Builds an application that uses the file store only, as such an application would depend on this
/// package: without the `Redis` trait. Neither hiredis nor the Redis modules may be in its build.
@Suite(
    "A file-store-only application, built without the Redis trait", .serialized,
    .fixturePackage("FileStoreFixture"), .timeLimit(.minutes(10)))
struct FileStoreOnlyFixturePackageTests {
    private var fixture: FixturePackage {
        get throws { try #require(FixturePackage.current) }
    }

    @Test("its build graph has no CHiredis, RedisClient or MigrationsRedis, and its binary does not link hiredis")
    func buildsWithoutHiredis() async throws {
        let fixture = try fixture
        _ = try await fixture.buildSuccessfully()

        // Only the modules built are in `Modules`: MigrationsCLI is (so the check reads the right place),
        // the Redis modules are not.
        let modules = try FileManager.default.contentsOfDirectory(
            atPath: fixture.scratchPath.appending(path: "debug/Modules").path(percentEncoded: false))
        #expect(modules.contains("MigrationsCLI.swiftmodule"), "\(modules)")
        for module in ["RedisClient", "MigrationsRedis"] {
            #expect(!modules.contains("\(module).swiftmodule"), "the fixture built \(module)")
        }

        // MigrationsCLI is compiled without the hiredis module map; with the trait (this package's own
        // build plan) it is compiled with it.
        let fixturePlan = try Self.compileCommand(
            of: "MigrationsCLI", inPlan: fixture.scratchPath.appending(path: "debug.yaml"))
        #expect(!fixturePlan.contains("CHiredis") && !fixturePlan.contains("RedisClient"), "\(fixturePlan)")
        let ownPlan = try Self.compileCommand(
            of: "MigrationsCLI",
            inPlan: ChildProcess.productsDirectory.deletingLastPathComponent().deletingLastPathComponent()
                .appending(path: "debug.yaml"))
        #expect(ownPlan.contains("CHiredis"), "this package's own plan should compile MigrationsCLI with hiredis")

        let linked = try await ChildProcess.run("/usr/bin/ldd", [fixture.executable])
        try #require(linked.status == 0, "\(linked)")
        #expect(linked.standardOutput.contains("libc.so"), "\(linked)")
        #expect(!linked.standardOutput.contains("libhiredis"), "\(linked)")

        // The same check on this package's own `migrations` tool, built with the trait, does find it.
        let tool = ChildProcess.productsDirectory.appending(path: "migrations").path(percentEncoded: false)
        let toolLinked = try await ChildProcess.run("/usr/bin/ldd", [tool])
        #expect(toolLinked.standardOutput.contains("libhiredis"), "\(toolLinked)")
    }

    @Test("its embedded migrate runs on the file store, and refuses a Redis URL naming the missing trait")
    func runsOnTheFileStore() async throws {
        let fixture = try fixture
        _ = try await fixture.buildSuccessfully()
        let state = FileManager.default.temporaryDirectory.appending(path: "file-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let statePath = state.path(percentEncoded: false)
        var environment = ProcessInfo.processInfo.environment
        environment["REDIS_URL"] = nil

        let run = try await fixture.run("migrate", "run", "--state-dir", statePath, environment: environment)
        #expect(run.status == 0, "\(run)")
        #expect(try fixture.read("greeting.txt") == "hello\n")

        let status = try await fixture.run(
            "migrate", "status", "--json", "--state-dir", statePath, environment: environment)
        #expect(status.status == 0, "\(status)")
        #expect(status.standardOutput.contains(#""state" : "completed""#), "\(status)")

        environment["REDIS_URL"] = "redis://:hunter22@127.0.0.1:1"
        let refused = try await fixture.run("migrate", "run", environment: environment)
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.standardError.contains("REDIS_URL is set, but this build has no Redis support"), "\(refused)")
        #expect(refused.standardError.contains("trait 'Redis'"), "\(refused)")
        #expect(!refused.combined.contains("hunter22"), "\(refused)")
    }

    /// The entry of `module`'s compile command in a SwiftPM build plan (`debug.yaml`).
    private static func compileCommand(of module: String, inPlan plan: URL) throws -> String {
        let text = try String(contentsOf: plan, encoding: .utf8)
        let entry = text.components(separatedBy: "\n  \"").first {
            $0.hasPrefix("C.\(module)-") && $0.contains(".module\"")
        }
        return try #require(entry, "no compile command of \(module) in \(plan.path(percentEncoded: false))")
    }
}
