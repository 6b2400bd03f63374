import Foundation
import Migrations
import MigrationsCLI
import MigrationsTestSupport
import Testing

@Suite("migrate pause, resume, cancel and history", .timeLimit(.minutes(5)))
struct EmbeddedControlTests {
    @Test("a paused migration stops migrate run with exit 6 after the ones before it; resume lets it go on")
    func pauseStopsTheRunWithSix() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }
        let third = CLIFixture.demoMigrations[2]

        let pause = try await fixture.demo(["migrate", "pause", third, "--reason", "index rebuild", "--by", "ops"])
        #expect(pause.status == 0, "\(pause)")
        #expect(pause.standardOutput.contains("not running; its next attempt will not start"), "\(pause)")
        #expect(fixture.exists(".migrations/\(third).control"))

        let run = try await fixture.demo(["migrate", "run"])
        #expect(run.status == 6, "\(run)")
        #expect(run.standardError.contains("is paused by ops"), "\(run)")
        #expect(run.standardError.contains("migrations resume"), "\(run)")
        #expect(fixture.exists(".migrations/\(CLIFixture.demoMigrations[1]).done"))
        #expect(!fixture.exists(".migrations/\(third).done"))
        #expect(!fixture.exists(".migrations/\(CLIFixture.demoMigrations[3]).done"), "a later one waits for it")

        let status = try fixture.decode(
            [MigrationStatusRow].self, try await fixture.demo(["migrate", "status", "--json"]))
        #expect(status[2].state == .paused)
        #expect(status[2].control?.reason == "index rebuild")

        let resume = try await fixture.demo(["migrate", "resume", third])
        #expect(resume.status == 0, "\(resume)")
        let again = try await fixture.demo(["migrate", "resume", third])
        #expect(again.status == 1, "nothing to resume: \(again)")
        #expect(again.standardError.contains("not paused"), "\(again)")
        let finish = try await fixture.demo(["migrate", "run"])
        #expect(finish.status == 0, "\(finish)")
        #expect(fixture.exists(".migrations/\(CLIFixture.demoMigrations[3]).done"))

        let history = try fixture.decode(
            [MigrationResult].self, try await fixture.demo(["migrate", "history", third, "--json"]))
        #expect(history.map(\.status) == [.completed], "\(history)")
        let table = try await fixture.demo(["migrate", "history", third])
        #expect(table.status == 0, "\(table)")
        #expect(table.standardOutput.contains("completed"), "\(table)")
        let never = try await fixture.demo(["migrate", "history", CLIFixture.demoMigrations[0], "--limit", "0"])
        #expect(never.status == 2, "a limit of 0 is a usage error: \(never)")

        let unknown = try await fixture.demo(["migrate", "pause", "no-such-migration"])
        #expect(unknown.status == 2, "\(unknown)")
        let unknownHistory = try await fixture.demo(["migrate", "history", "no-such-migration"])
        #expect(unknownHistory.status == 2, "\(unknownHistory)")
    }
}
