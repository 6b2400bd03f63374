import Foundation
import MigrationsTestSupport
import RedisClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `script(1)` runs a command on a pseudo-terminal: how the tests see what a person at a terminal sees.
private let scriptPath = "/usr/bin/script"

@Suite("On a terminal, and when interrupted", .timeLimit(.minutes(5)))
struct TerminalTests {
    /// Runs `migrations-demo ARGUMENTS` on a pseudo-terminal 100 columns wide and returns everything it drew.
    private func runOnTerminal(
        _ fixture: CLIFixture, _ arguments: String, environment: [String: String]
    ) async throws -> CLIProcess.Outcome {
        let demo = ChildProcess.productsDirectory.appendingPathComponent("migrations-demo").path
        let outcome = try await ChildProcess.run(
            scriptPath, ["-qec", "stty cols 100; \(demo) \(arguments)", "/dev/null"],
            environment: CLIProcess.environment(environment), directory: fixture.directory, timeout: .seconds(60))
        return CLIProcess.Outcome(status: outcome.status, standardOutput: outcome.standardOutput, standardError: "")
    }

    @Test(
        "run on a terminal draws a progress bar per migration with rate and ETA, then a line for each outcome",
        .enabled(if: FileManager.default.isExecutableFile(atPath: scriptPath)))
    func progressBarsOnATerminal() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let outcome = try await runOnTerminal(fixture, "migrate run", environment: ["MIGRATIONS_DEMO_DELAY_MS": "40"])
        let screen = outcome.standardOutput
        #expect(outcome.status == 0, "\(outcome)")
        #expect(screen.contains("2025-01-02-import-customers"), "\(screen)")
        #expect(screen.contains("█"), "\(screen)")
        #expect(screen.contains("/5000"), "\(screen)")
        #expect(screen.contains("/s  ETA "), "\(screen)")
        #expect(screen.contains("✔"), "\(screen)")
        #expect(screen.contains("2025-01-02-import-customers  completed  5000 items in"), "\(screen)")
        #expect(screen.contains("\u{1B}[32m"), "colour on a terminal")
        #expect(!screen.contains("info migrations-demo"), "no info log lines on a terminal by default")
    }

    @Test(
        "NO_COLOR keeps a terminal free of colour, bars included",
        .enabled(if: FileManager.default.isExecutableFile(atPath: scriptPath)))
    func noColor() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let outcome = try await runOnTerminal(
            fixture, "migrate run", environment: ["NO_COLOR": "1", "MIGRATIONS_DEMO_DELAY_MS": "20"])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.contains("completed"))
        #expect(!outcome.standardOutput.contains("\u{1B}[3"), "\(outcome.standardOutput)")
        #expect(!outcome.standardOutput.contains("\u{1B}[1m"), "\(outcome.standardOutput)")
    }

    @Test("SIGINT stops the running migration cleanly: recorded as cancelled, lease released, exit 5")
    func interruptCancelsCleanly() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        let child = try await CLIProcess.launch(
            "migrations-demo", ["migrate", "run", "9999-slow-demo", "--redis-url", fixture.redisURL],
            environment: ["MIGRATIONS_DEMO_SLOW": "60"], directory: fixture.directory)
        let deadline = ContinuousClock.now + .seconds(20)
        while try await fixture.redis("GET", "migration:9999-slow-demo:lease") == .null {
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(50))
        }

        child.signal(SIGINT)
        let outcome = try await child.wait(timeout: .seconds(20))
        #expect(outcome.status == 5, "\(outcome)")
        #expect(outcome.standardError.contains("received SIGINT"), "\(outcome)")
        #expect(outcome.standardError.contains("error: migration '9999-slow-demo' was cancelled"), "\(outcome)")
        #expect(try await fixture.redis("GET", "migration:9999-slow-demo:lease") == .null)
        #expect(try await fixture.redis("GET", "migration:9999-slow-demo:error").string?.contains("cancelled") == true)
    }
}
