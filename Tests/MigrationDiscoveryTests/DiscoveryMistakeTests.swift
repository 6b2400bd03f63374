import Testing

@testable import MigrationDiscovery

@Suite("Discovery: mistakes caught at build time", .timeLimit(.minutes(5)))
struct DiscoveryMistakeTests {
    @Test("a matching file that declares no migration is an error at the file")
    func fileWithoutMigration() {
        let result = discover(["M/2025-01-01-x.migration.swift": "import Foundation\n\nstruct Helper {}\n"])
        #expect(result.hasErrors)
        #expect(
            result.printed(.error).first?.hasPrefix(
                "M/2025-01-01-x.migration.swift:3: error: file matches '*.migration.swift' but declares no migration "
                    + "('Helper' does not conform to Migration)"
            ) == true
        )
    }

    @Test("two migrations with the same literal name are an error, with a note at the first")
    func duplicateNames() {
        let result = discover([
            "a.migration.swift": migrationSource("A", name: "2025-01-15-import"),
            "b.migration.swift": migrationSource("B", name: "2025-01-15-import"),
        ])
        #expect(
            result.printed(.error) == [
                "b.migration.swift:4: error: duplicate migration name '2025-01-15-import': 'B' and 'A' "
                    + "(a.migration.swift:4) both use it; every migration needs a unique name, because the name keys "
                    + "its completion state"
            ]
        )
        #expect(
            result.printed(.note) == ["a.migration.swift:4: note: 'A' first declares the name '2025-01-15-import' here"]
        )
    }

    @Test("a name that is not a literal is a warning: the registry checks it at run time")
    func nonLiteralName() {
        let result = discover([
            "a.migration.swift": """
            struct A: Migration {
                var name: String { "2025-" + "a" }
                func up(_ context: MigrationContext<App>) async throws {}
            }
            """
        ])
        #expect(!result.hasErrors)
        #expect(
            result.printed(.warning).first?.hasPrefix(
                "a.migration.swift:2: warning: migration 'A' has a 'name' that is not a string literal") == true)
        #expect(result.migrations.first?.name == nil)
    }

    @Test("an invalid literal name is an error with the registry's own message")
    func invalidName() {
        let result = discover(["a.migration.swift": migrationSource("A", name: #"bad\nname"#)])
        #expect(result.printed(.error).first?.contains("contains the control character U+000A") == true)
    }

    @Test(
        "a migration that generated code cannot construct is an error that says why",
        arguments: [
            (
                "struct M: Migration {\n    let name = \"m\"\n    init(database: String) {}\n" + upStep + "}",
                "1: error: migration 'M' cannot be constructed: every initializer takes arguments "
                    + "(init(database:) at line 3)"
            ),
            (
                "struct M: Migration {\n    let name = \"m\"\n    let database: String\n" + upStep + "}",
                "1: error: migration 'M' cannot be constructed: stored property 'database' (line 3) "
                    + "has no default value"
            ),
            (
                "private struct M: Migration {\n    let name = \"m\"\n" + upStep + "}",
                "1: error: migration 'M' is private (or nested in a private type), so the generated "
                    + "registration code cannot see it"
            ),
            (
                "struct M<Store: Sendable>: Migration {\n    let name = \"m\"\n" + upStep + "}",
                "1: error: migration 'M' is generic <Store: Sendable> (or nested in a generic type)"
            ),
            (
                "enum M: Migration {\n    var name: String { \"m\" }\n" + upStep + "}",
                "1: error: migration 'M' is an enum; discovery constructs migrations with 'M()'"
            ),
            (
                "struct M: Migration {\n    let name = \"m\"\n    init() throws {}\n" + upStep + "}",
                "1: error: migration 'M' cannot be constructed: its init() at line 3 is throwing"
            ),
            (
                "struct M: Migration {\n    let name = \"m\"\n    private init() {}\n" + upStep + "}",
                "1: error: migration 'M' cannot be constructed: its init() at line 3 is private"
            ),
            (
                "struct M: Migration {\n    let name = \"m\"\n    func up(_ context: some Any) async throws {}\n}",
                "1: error: cannot tell which context migration 'M' runs with"
            ),
        ]
    )
    func unconstructableMigration(source: String, message: String) {
        let result = discover(["m.migration.swift": source])
        #expect(result.hasErrors)
        #expect(
            result.printed(.error).contains { $0.hasPrefix("m.migration.swift:\(message)") },
            "\(result.printed(.error))")
    }

    @Test("a class with an explicit init() or defaults is constructible")
    func constructibleClass() {
        let result = discover([
            "m.migration.swift": """
            final class M: Migration {
                let name = "m"
                let store: Store
                init() { store = Store() }
                convenience init(other: Int) { self.init() }
            \(upStep)
            }
            """
        ])
        #expect(result.diagnostics.isEmpty)
    }

    @Test("migrations of one target must share a context type")
    func contextMismatch() {
        let result = discover([
            "a.migration.swift": migrationSource("A", name: "a"),
            "b.migration.swift": """
            struct B: Migration {
                let name = "b"
                func up(_ context: MigrationContext<OtherApp>) async throws {}
            }
            """,
        ])
        #expect(
            result.printed(.error).first?.hasPrefix(
                "b.migration.swift:1: error: migration 'B' runs with context 'OtherApp', "
                    + "but 'A' (a.migration.swift:3) runs with 'App'"
            ) == true
        )
    }

    @Test("every mistake in a target is reported in one pass")
    func allMistakesAtOnce() {
        let result = discover([
            "a.migration.swift": "struct A {}",
            "b.migration.swift": "struct B: Migration { let db: Int\n" + upStep + "}",
            "c.migration.swift": "private struct C: Migration {\n" + upStep + "}",
        ])
        #expect(
            Set(result.diagnostics.filter { $0.severity == .error }.map(\.file)) == [
                "a.migration.swift", "b.migration.swift", "c.migration.swift",
            ])
    }

    @Test("diagnostics print as path:line: severity: message, placed in the target's directory")
    func diagnosticFormat() {
        let diagnostic = DiscoveryDiagnostic(.error, file: "Migrations/a.migration.swift", line: 7, "boom")
        #expect(
            diagnostic.located(in: "/app/Sources/App").description
                == "/app/Sources/App/Migrations/a.migration.swift:7: error: boom")
        #expect(diagnostic.located(in: "").description == "Migrations/a.migration.swift:7: error: boom")
    }
}

private let upStep = "    func up(_ context: MigrationContext<App>) async throws {}\n"
