import Foundation
import MigrationsTestSupport
import Testing

@Suite("migrations command line: help, usage and connection errors", .timeLimit(.minutes(5)))
struct OperatorCommandLineTests {
    @Test(
        "every command has --help with examples and the exit codes",
        arguments: [
            [String](), ["status"], ["show"], ["leases"], ["unlock"], ["reset"],
        ])
    func help(command: [String]) async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let outcome = try await CLIProcess.run("migrations", command + ["--help"], directory: fixture.directory)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.contains("EXAMPLES:"), "\(outcome)")
        #expect(outcome.standardOutput.contains("EXIT CODES:"), "\(outcome)")
        #expect(outcome.standardOutput.contains("4  the lease is still held"), "\(outcome)")
    }

    @Test(
        "usage errors exit 2",
        arguments: [
            ["frobnicate"], ["show"], ["status", "--frobnicate"], ["unlock"], ["status", "--prefix", ""],
            ["status", "--redis-url", "mysql://db"],
        ])
    func usageErrors(arguments: [String]) async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let outcome = try await CLIProcess.run("migrations", arguments, directory: fixture.directory)
        #expect(outcome.status == 2, "\(outcome)")
        #expect(!outcome.standardError.isEmpty)
    }

    @Test(
        "an unreachable Redis exits 3 for every command",
        arguments: [
            ["status"], ["show", "x"], ["leases"], ["unlock", "x"], ["reset", "x", "--yes"],
        ])
    func unreachable(arguments: [String]) async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let outcome = try await CLIProcess.run(
            "migrations", arguments + ["--redis-url", "redis://127.0.0.1:1"], directory: fixture.directory)
        #expect(outcome.status == 3, "\(outcome)")
        #expect(outcome.standardError.hasPrefix("error: cannot reach Redis at redis://127.0.0.1:1:"), "\(outcome)")
    }
}
