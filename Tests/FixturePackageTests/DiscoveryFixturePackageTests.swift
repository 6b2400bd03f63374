import Foundation
import MigrationsTestSupport
import Testing

/// Builds a real package that applies `MigrationDiscoveryPlugin`, as an application would.
@Suite(
    "Fixture package built with the plugin", .serialized, .fixturePackage("DiscoveryFixture"), .timeLimit(.minutes(10)))
struct FixturePackageTests {
    private var fixture: FixturePackage {
        get throws { try #require(FixturePackage.current) }
    }

    private static let baseNames = [
        "2024-12-01-legacy-import", "2025-01-15-create-users", "2025-03-01-backfill-emails",
    ]

    @Test("the fixture's migrations are registered with no registration code, in path order")
    func discoversInPathOrder() async throws {
        let fixture = try fixture
        let build = try await fixture.buildSuccessfully()
        #expect(try await fixture.discoveredNames() == Self.baseNames)
        // The fixture's computed name cannot be checked at build time, and the build says so.
        #expect(
            build.combined.contains(
                "Migrations/2025-03-01-backfill-emails.migration.swift:7: warning: migration 'BackfillEmails' has a "
                    + "'name' that is not a string literal"
            ),
            "\(build)"
        )
    }

    @Test("a new migration file is picked up by the next build, in its place by path")
    func newFileIsPickedUp() async throws {
        let fixture = try fixture
        let names = try await fixture.withFile(
            "\(FixturePackage.migrationsDirectory)/2025-02-10-add-email-index.migration.swift",
            """
            import Migrations

            struct AddEmailIndex: Migration {
                let name = "2025-02-10-add-email-index"

                func up(_ context: MigrationContext<FixtureApp>) async throws {}
            }
            """
        ) {
            _ = try await fixture.buildSuccessfully()
            return try await fixture.discoveredNames()
        }
        #expect(
            names == [
                "2024-12-01-legacy-import", "2025-01-15-create-users", "2025-02-10-add-email-index",
                "2025-03-01-backfill-emails",
            ])
    }

    @Test("with a debug logger, the app logs what was scanned, found and skipped")
    func debugLoggerLogsTheReport() async throws {
        let fixture = try fixture
        _ = try await fixture.buildSuccessfully()
        let output = try await fixture.run("--debug")
        try #require(output.status == 0, "\(output)")
        let log = output.standardError
        #expect(log.contains("discovery scanned 3 file(s), found 3 migration(s)"))
        #expect(log.contains("discovery.file=Migrations/2024/12-01-legacy-import.migration.swift"))
        #expect(log.contains("migration.type=CreateUsers"))
        #expect(
            log.contains(
                "discovery.file=ManualMigration.swift discovery.reason='ManualMigration' conforms to Migration"))
        #expect(log.contains("discovery skipped file"))
        #expect(log.contains("registered migration"))
    }

    @Test("a mistake in a migration file fails the build with a message at the file", arguments: BuildMistake.all)
    func mistakeFailsTheBuild(mistake: BuildMistake) async throws {
        let fixture = try fixture
        let path = "\(FixturePackage.migrationsDirectory)/\(mistake.fileName)"
        let build = try await fixture.withFile(path, mistake.source) { try await fixture.build() }
        #expect(build.status != 0, "the build should fail:\n\(build)")
        #expect(
            build.combined.contains("Migrations/\(mistake.fileName):\(mistake.line): error: \(mistake.message)"),
            "\(build)")
    }

    @Test("a misspelt key in migration-discovery.json fails the build")
    func configurationTypoFailsTheBuild() async throws {
        let fixture = try fixture
        let path = "Sources/DiscoveryFixture/migration-discovery.json"
        let original = try fixture.read(path)
        try fixture.write("{\n    \"directory\": \"Migrations\",\n    \"recusive\": false\n}\n", to: path)
        defer { try? fixture.write(original, to: path) }
        let build = try await fixture.build()
        #expect(build.status != 0, "the build should fail:\n\(build)")
        #expect(build.combined.contains("migration-discovery.json:3: error: unknown key 'recusive'"), "\(build)")
    }
}

/// A migration file with a mistake that discovery must catch at build time.
struct BuildMistake: Sendable, CustomTestStringConvertible {
    var label: String
    var fileName: String
    var source: String
    var line: Int
    var message: String

    var testDescription: String { label }

    static let all: [BuildMistake] = [
        BuildMistake(
            label: "no migration in the file",
            fileName: "2025-04-01-release-notes.migration.swift",
            source: """
                import Migrations

                /// Notes about the release; no migration here.
                struct ReleaseNotes {
                    let text = "struct NotAMigration: Migration {}"
                }
                """,
            line: 4,
            message:
                "file matches '*.migration.swift' but declares no migration "
                + "('ReleaseNotes' does not conform to Migration)"
        ),
        BuildMistake(
            label: "a duplicate name",
            fileName: "2025-04-02-create-users-again.migration.swift",
            source: """
                import Migrations

                struct CreateUsersAgain: Migration {
                    let name = "2025-01-15-create-users"
                    func up(_ context: MigrationContext<FixtureApp>) async throws {}
                }
                """,
            line: 4,
            message: "duplicate migration name '2025-01-15-create-users': 'CreateUsersAgain' and 'CreateUsers'"
        ),
        BuildMistake(
            label: "an init that takes arguments only",
            fileName: "2025-04-03-needs-url.migration.swift",
            source: """
                import Migrations

                struct NeedsURL: Migration {
                    let name = "2025-04-03-needs-url"
                    let url: String
                    init(url: String) { self.url = url }
                    func up(_ context: MigrationContext<FixtureApp>) async throws {}
                }
                """,
            line: 3,
            message:
                "migration 'NeedsURL' cannot be constructed: every initializer takes arguments (init(url:) at line 6)"
        ),
        BuildMistake(
            label: "a stored property without a default",
            fileName: "2025-04-04-batch.migration.swift",
            source: """
                import Migrations

                struct Batch: Migration {
                    let name = "2025-04-04-batch"
                    let batchSize: Int
                    func up(_ context: MigrationContext<FixtureApp>) async throws {}
                }
                """,
            line: 3,
            message:
                "migration 'Batch' cannot be constructed: stored property 'batchSize' (line 5) has no default value"
        ),
        BuildMistake(
            label: "a private type",
            fileName: "2025-04-05-hidden.migration.swift",
            source: """
                import Migrations

                private struct Hidden: Migration {
                    let name = "2025-04-05-hidden"
                    func up(_ context: MigrationContext<FixtureApp>) async throws {}
                }
                """,
            line: 3,
            message: "migration 'Hidden' is private (or nested in a private type)"
        ),
        BuildMistake(
            label: "a generic type",
            fileName: "2025-04-06-generic.migration.swift",
            source: """
                import Migrations

                struct Copy<Source: Sendable>: Migration {
                    let name = "2025-04-06-copy"
                    func up(_ context: MigrationContext<FixtureApp>) async throws {}
                }
                """,
            line: 3,
            message: "migration 'Copy' is generic <Source: Sendable> (or nested in a generic type)"
        ),
    ]
}
