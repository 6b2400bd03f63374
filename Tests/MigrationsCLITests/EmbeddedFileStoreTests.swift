import Foundation
import Migrations
import MigrationsCLI
import MigrationsTestSupport
import Testing

@Suite("migrate with the file store (no Redis)", .timeLimit(.minutes(5)))
struct EmbeddedFileStoreTests {
    @Test("run without REDIS_URL keeps state in .migrations of the working directory")
    func runUsesTheFileStoreByDefault() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let run = try await fixture.demo(["migrate", "run"])
        #expect(run.status == 0, "\(run)")
        #expect(run.standardOutput.contains("4 completed (state: files at ./.migrations (no REDIS_URL))"), "\(run)")
        #expect(run.standardError.contains("state: files at ./.migrations (no REDIS_URL)"), "\(run)")
        for name in CLIFixture.demoMigrations { #expect(fixture.exists(".migrations/\(name).done")) }
        #expect(fixture.exists("demo-data/customers.json"))
        #expect(fixture.exists("demo-data/country-index.json"))

        let status = try await fixture.demo(["migrate", "status", "--json"])
        #expect(status.status == 0, "\(status)")
        let rows = try fixture.decode([MigrationStatusRow].self, status)
        #expect(rows.map(\.name) == CLIFixture.demoMigrations)
        #expect(rows.allSatisfy { $0.state == .completed && $0.completedAt != nil && $0.duration != nil })
        #expect(rows.map(\.position) == [1, 2, 3, 4])
        #expect(rows[0].description == "Write 5,000 sample customers to customers.csv")

        let again = try await fixture.demo(["migrate", "run"])
        #expect(again.status == 0)
        #expect(again.standardOutput.contains("Nothing to run: every migration is completed"), "\(again)")
    }

    @Test("--state-dir moves the file store")
    func stateDirectoryOption() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let run = try await fixture.demo(["migrate", "run", "--state-dir", "state"])
        #expect(run.status == 0, "\(run)")
        #expect(fixture.exists("state/2025-01-01-write-customers-csv.done"))
        #expect(!fixture.exists(".migrations"))
        let status = try await fixture.demo(["migrate", "status", "--state-dir", "state"])
        #expect(status.standardOutput.contains("4 migrations: 4 completed (state: files at ./state)"), "\(status)")
    }

    @Test("list prints the registry in run order and touches no store")
    func listPrintsTheRegistry() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let list = try await fixture.demo(["migrate", "list"])
        #expect(list.status == 0, "\(list)")
        let lines = list.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix("#  NAME") == true)
        for (index, name) in CLIFixture.demoMigrations.enumerated() {
            #expect(lines[index + 1].hasPrefix("\(index + 1)  \(name)"))
        }
        let json = try await fixture.demo(["migrate", "list", "--json"])
        let entries = try fixture.decode([MigrationListEntry].self, json)
        #expect(entries.map(\.name) == CLIFixture.demoMigrations)
        #expect(!fixture.exists(".migrations"))
        #expect(!fixture.exists("demo-data"))
    }

    @Test("a dry run validates and runs everything but writes nothing")
    func dryRunWritesNothing() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let run = try await fixture.demo(["migrate", "run", "--dry-run"])
        #expect(run.status == 0, "\(run)")
        #expect(run.standardOutput.contains("4 dry-run"), "\(run)")
        #expect(!fixture.exists("demo-data/customers.csv"))
        let rows = try fixture.decode(
            [MigrationStatusRow].self, try await fixture.demo(["migrate", "status", "--json"]))
        #expect(rows.allSatisfy { $0.state == .pending })
    }

    @Test("rollback runs down and makes the migration pending; without down or completion it is refused")
    func rollback() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }
        #expect(try await fixture.demo(["migrate", "run"]).status == 0)

        let rollback = try await fixture.demo(["migrate", "rollback", "2025-01-03-build-country-index"])
        #expect(rollback.status == 0, "\(rollback)")
        #expect(rollback.standardOutput.contains("rolled-back"), "\(rollback)")
        #expect(!fixture.exists("demo-data/country-index.json"))
        let rows = try fixture.decode(
            [MigrationStatusRow].self, try await fixture.demo(["migrate", "status", "--json"]))
        #expect(rows.first { $0.name == "2025-01-03-build-country-index" }?.state == .pending)

        let noDown = try await fixture.demo(["migrate", "rollback", "2025-01-02-import-customers"])
        #expect(noDown.status == 1, "\(noDown)")
        #expect(noDown.standardError.contains("has no down step and cannot be rolled back"), "\(noDown)")
        #expect(noDown.standardError.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1, "\(noDown)")
        #expect(!noDown.standardError.contains("Fatal error"), "\(noDown)")

        let notCompleted = try await fixture.demo(["migrate", "rollback", "2025-01-03-build-country-index"])
        #expect(notCompleted.status == 1, "\(notCompleted)")
        #expect(notCompleted.standardError.contains("has not completed"), "\(notCompleted)")
    }

    @Test("a failing migration exits 1, says which one, and is recorded as failed")
    func failingMigration() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }
        let environment = ["MIGRATIONS_DEMO_FAIL": "1"]

        let run = try await fixture.demo(["migrate", "run"], environment: environment)
        #expect(run.status == 1, "\(run)")
        #expect(
            run.standardError.contains(
                "error: migration '9998-failing-demo' failed: the demo failure asked for with MIGRATIONS_DEMO_FAIL=1"),
            "\(run)")
        #expect(run.standardOutput.contains("4 completed, 1 failed"), "\(run)")
        #expect(!run.standardError.contains("Fatal error"))

        let rows = try fixture.decode(
            [MigrationStatusRow].self,
            try await fixture.demo(["migrate", "status", "--json"], environment: environment))
        let failed = try #require(rows.first { $0.name == "9998-failing-demo" })
        #expect(failed.state == .failed)
        #expect(failed.error?.contains("MIGRATIONS_DEMO_FAIL") == true)
    }

    @Test("an unknown migration name is a usage error that lists the known names")
    func unknownName() async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        for command in [["migrate", "run", "nope"], ["migrate", "rollback", "nope"]] {
            let outcome = try await fixture.demo(command)
            #expect(outcome.status == 2, "\(outcome)")
            #expect(
                outcome.standardError
                    == "error: unknown migration 'nope'; known: '2025-01-01-write-customers-csv', "
                    + "'2025-01-02-import-customers', '2025-01-03-build-country-index', "
                    + "'2025-01-04-archive-inactive-customers'\n",
                "\(outcome)")
        }
        #expect(!fixture.exists(".migrations"), "an unknown name fails before any store is opened")
    }

    @Test(
        "usage errors exit 2 with the usage line",
        arguments: [
            ["migrate", "frobnicate"],
            ["migrate", "run", "--timeout", "soon"],
            ["migrate", "run", "--timeout", "-5"],
            ["migrate", "run", "--lease-ttl", "0"],
            ["migrate", "status", "--log-level", "loud"],
            ["migrate", "status", "--state-dir", "x", "--redis-url", "redis://127.0.0.1:1"],
            ["migrate", "rollback"],
        ])
    func usageErrors(arguments: [String]) async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let outcome = try await fixture.demo(arguments)
        #expect(outcome.status == 2, "\(outcome)")
        #expect(outcome.standardError.contains("Usage:") || outcome.standardError.contains("USAGE"), "\(outcome)")
    }

    @Test(
        "every command has --help with examples and the exit codes",
        arguments: [
            ["migrate"], ["migrate", "run"], ["migrate", "rollback"], ["migrate", "status"], ["migrate", "list"],
        ])
    func help(command: [String]) async throws {
        let fixture = try await CLIFixture.make()
        defer { fixture.tearDown() }

        let outcome = try await fixture.demo(command + ["--help"])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.contains("EXAMPLES:"), "\(outcome)")
        #expect(outcome.standardOutput.contains("EXIT CODES:"), "\(outcome)")
        #expect(outcome.standardOutput.contains("3  Redis unreachable"), "\(outcome)")
    }
}
