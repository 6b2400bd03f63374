import Foundation
import Migrations
import MigrationsCLI
import MigrationsOperator
import MigrationsTestSupport
import RedisClient
import Testing

@Suite("migrations status, show and reset", .timeLimit(.minutes(5)))
struct OperatorStatusTests {
    @Test("status finds nothing in an empty Redis, as text and as an empty JSON array")
    func emptyRedis() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }

        let text = try await fixture.tool(["status"])
        #expect(text.status == 0, "\(text)")
        #expect(text.standardOutput == "No migrations found under prefix 'migration' at \(fixture.redisURL).\n")
        let json = try await fixture.tool(["status", "--json"])
        #expect(try fixture.decode([MigrationStatusRow].self, json).isEmpty)
    }

    @Test("status lists every migration under the prefix, sorted, with failures and foreign data")
    func statusRows() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        #expect(try await fixture.migrate(["run"], environment: ["MIGRATIONS_DEMO_FAIL": "1"]).status == 1)
        try await fixture.redis("SET", "migration:0000-foreign:result", "not json")
        try await fixture.redis("SET", "other-app:elsewhere:completed", "true")

        let json = try await fixture.tool(["status", "--json"])
        #expect(json.status == 0, "\(json)")
        let rows = try fixture.decode([MigrationStatusRow].self, json)
        #expect(rows.map(\.name) == ["0000-foreign"] + CLIFixture.demoMigrations + ["9998-failing-demo"])
        #expect(rows[0].state == .unknown)
        #expect(rows[0].problem?.contains("migration:0000-foreign:result") == true)
        #expect(rows[1...4].allSatisfy { $0.state == .completed && $0.position == nil && $0.description == nil })
        #expect(rows[5].state == .failed)
        #expect(rows[5].error == "the demo failure asked for with MIGRATIONS_DEMO_FAIL=1")

        let text = try await fixture.tool(["status"])
        let lines = text.standardOutput.split(separator: "\n")
        #expect(lines[0].hasPrefix("NAME"))
        #expect(lines[0].contains("STATE") && lines[0].contains("COMPLETED AT") && lines[0].contains("DETAILS"))
        #expect(
            lines.contains {
                $0.hasPrefix("9998-failing-demo") && $0.contains("failed") && $0.contains("the demo failure")
            })
        #expect(text.standardOutput.contains("6 migrations under prefix 'migration'"), "\(text)")
        #expect(text.standardOutput.contains("4 completed, 1 failed, 1 unknown"), "\(text)")
        #expect(!text.standardOutput.contains("\u{1B}["), "no colour without a terminal")
    }

    @Test("--prefix selects another application's migrations")
    func prefixOption() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        #expect(try await fixture.migrate(["run", "--prefix", "billing:v2[eu]"]).status == 0)

        let other = try fixture.decode([MigrationStatusRow].self, try await fixture.tool(["status", "--json"]))
        #expect(other.isEmpty)
        let rows = try fixture.decode(
            [MigrationStatusRow].self, try await fixture.tool(["status", "--json", "--prefix", "billing:v2[eu]"]))
        #expect(rows.map(\.name) == CLIFixture.demoMigrations)
    }

    @Test("show prints everything stored for one migration")
    func show() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        #expect(try await fixture.migrate(["run"]).status == 0)
        let name = "2025-01-02-import-customers"

        let json = try await fixture.tool(["show", name, "--json"])
        #expect(json.status == 0, "\(json)")
        let report = try fixture.decode(MigrationDetailsReport.self, json)
        #expect(report.name == name)
        #expect(report.state == .completed && report.completed)
        #expect(report.result?.status == .completed)
        #expect(report.result?.warnings == ["12 rows have no e-mail address; they are imported without one"])
        #expect(report.fence == 1)
        #expect(report.lease == nil)
        #expect(report.keys.map(\.key) == RedisKeysOf(name).all)
        #expect(report.keys.filter { $0.type == "string" }.count == 3)

        let text = try await fixture.tool(["show", name])
        #expect(text.status == 0, "\(text)")
        #expect(text.standardOutput.contains("RESULT\n{\n"), "\(text)")
        #expect(text.standardOutput.contains("\"status\" : \"completed\""), "\(text)")
        #expect(text.standardOutput.contains("migration:\(name):fence"), "\(text)")
    }

    @Test("show of a name with nothing stored exits 1 and lists the known names")
    func showUnknown() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        #expect(try await fixture.migrate(["run", "2025-01-01-write-customers-csv"]).status == 0)

        let outcome = try await fixture.tool(["show", "nope"])
        #expect(outcome.status == 2, "\(outcome)")
        #expect(
            outcome.standardError
                == "error: nothing is stored for migration 'nope' under prefix 'migration' at \(fixture.redisURL); "
                + "known: '2025-01-01-write-customers-csv'\n")
    }

    @Test("reset needs --yes without a terminal, then clears completion and error so it runs again")
    func reset() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        #expect(try await fixture.migrate(["run"]).status == 0)
        let name = "2025-01-03-build-country-index"

        let refused = try await fixture.tool(["reset", name])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.standardError.contains("standard input is not a terminal; pass --yes"), "\(refused)")
        #expect(try await fixture.redis("GET", "migration:\(name):completed").string == "true")

        let reset = try await fixture.tool(["reset", name, "--yes"])
        #expect(reset.status == 0, "\(reset)")
        #expect(reset.standardOutput.contains("Reset '\(name)': deleted migration:\(name):completed"), "\(reset)")
        let rows = try fixture.decode([MigrationStatusRow].self, try await fixture.tool(["status", "--json"]))
        #expect(rows.first { $0.name == name }?.state == .pending)

        let nothing = try await fixture.tool(["reset", name, "--yes"])
        #expect(nothing.status == 1, "\(nothing)")
        #expect(nothing.standardError.contains("nothing to reset"), "\(nothing)")

        let rerun = try await fixture.migrate(["run"])
        #expect(rerun.status == 0, "\(rerun)")
        #expect(rerun.standardOutput.contains("1 completed"), "\(rerun)")
    }

    @Test("reset --json clears a failed migration's error and failure record")
    func resetFailed() async throws {
        let fixture = try await CLIFixture.make(redis: true)
        defer { fixture.tearDown() }
        #expect(try await fixture.migrate(["run"], environment: ["MIGRATIONS_DEMO_FAIL": "1"]).status == 1)

        let reset = try await fixture.tool(["reset", "9998-failing-demo", "--yes", "--json"])
        #expect(reset.status == 0, "\(reset)")
        let report = try fixture.decode(MigrationOperatorActionReport.self, reset)
        #expect(report.action == .reset)
        #expect(report.clearedKeys == ["migration:9998-failing-demo:error", "migration:9998-failing-demo:failure"])
    }
}

/// The seven keys of a migration under the default prefix.
struct RedisKeysOf {
    let all: [String]

    init(_ name: String) {
        all = [
            "completed", "result", "error", "failure", "lease", "fence", "progress", "checkpoint", "control", "history",
            "shards",
        ].map {
            "migration:\(name):\($0)"
        }
    }
}
