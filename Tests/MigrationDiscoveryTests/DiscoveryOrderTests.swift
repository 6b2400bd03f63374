import Testing

@testable import MigrationDiscovery

@Suite("Discovery: selection and order", .timeLimit(.minutes(5)))
struct DiscoveryOrderTests {
    @Test("migrations run in the order of their files' paths, then of their lines")
    func orderByPathThenLine() {
        let result = discover([
            "Migrations/2025-03-01-c.migration.swift": migrationSource("C", name: "c"),
            "Migrations/2025-01-15-a.migration.swift": migrationSource("A", name: "a")
                + "\n" + migrationSource("A2", name: "a2"),
            "Migrations/2024/12-01-old.migration.swift": migrationSource("Old", name: "old"),
            "Migrations/2025-02-01-b.migration.swift": migrationSource("B", name: "b"),
            "Migrations/Z-last.migration.swift": migrationSource("Z", name: "z"),
            "Migrations/a-lower.migration.swift": migrationSource("Lower", name: "lower"),
        ])
        #expect(result.diagnostics.isEmpty)
        #expect(result.migrations.map(\.typeName) == ["Old", "A", "A2", "B", "C", "Z", "Lower"])
        #expect(result.scannedFiles.first == "Migrations/2024/12-01-old.migration.swift")
        #expect(result.contextType == "App")
    }

    @Test("the order compares bytes, not the locale: a directory's files stay together")
    func pathOrder() {
        // A plain byte comparison of whole paths would put "2025-01.swift" first, as "-" sorts before "/".
        #expect(SourcePath.runsBefore("2025/x/z.swift", "2025-01.swift"))
        #expect(SourcePath.runsBefore("A.swift", "a.swift"))
        #expect(SourcePath.runsBefore("2025-01-15-b.swift", "2025-02-01-a.swift"))
        #expect(!SourcePath.runsBefore("b", "a"))
    }

    @Test("only files matching the pattern are scanned; others are read for nothing but protocols")
    func patternSelectsFiles() {
        let result = discover([
            "Migrations/one.migration.swift": migrationSource("One", name: "one"),
            "Helpers.swift": "struct Helper {}",
            "Manual.swift": migrationSource("Manual", name: "manual"),
        ])
        #expect(result.scannedFiles == ["Migrations/one.migration.swift"])
        #expect(result.migrations.map(\.typeName) == ["One"])
        #expect(result.skipped.map(\.file) == ["Manual.swift"])
        #expect(
            result.skipped.first?.reason.contains("'Manual' conforms to Migration, but the file does not match") == true
        )
    }

    @Test("a directory and recursive: false narrow the scan, and say what they skipped")
    func directoryAndRecursion() {
        let result = discover(
            [
                "Migrations/top.migration.swift": migrationSource("Top", name: "top"),
                "Migrations/archive/old.migration.swift": migrationSource("Old", name: "old"),
                "Other/stray.migration.swift": migrationSource("Stray", name: "stray"),
            ],
            configuration: DiscoveryConfiguration(recursive: false, directory: "Migrations/")
        )
        #expect(result.migrations.map(\.typeName) == ["Top"])
        let reasons = Dictionary(uniqueKeysWithValues: result.skipped.map { ($0.file, $0.reason) })
        #expect(reasons["Migrations/archive/old.migration.swift"]?.contains("recursive is false") == true)
        #expect(reasons["Other/stray.migration.swift"]?.contains("outside the scanned directory 'Migrations'") == true)
    }

    @Test("no matching file is a warning, not an error")
    func noMatchingFile() {
        let result = discover(["main.swift": "print(1)"])
        #expect(!result.hasErrors)
        #expect(
            result.printed(.warning) == [
                ".:1: warning: no file matches '*.migration.swift', so no migration was discovered"
            ])
        #expect(result.contextType == nil)
    }

    @Test("conformance through an extension or a refining protocol counts, with its context")
    func indirectConformance() {
        let result = discover([
            "AppMigration.swift": """
            protocol AppMigration: Migration where Context == AppServices {}
            protocol ImportMigration: AppMigration {}
            """,
            "a.migration.swift": """
            struct ViaProtocol: ImportMigration {
                let name = "a"
                func up(_ context: MigrationContext<Context>) async throws {}
            }
            """,
            "b.migration.swift": """
            struct ViaExtension {
                let name = "b"
            }
            extension ViaExtension: Migration {
                func up(_ context: MigrationContext<AppServices>) async throws {}
            }
            """,
        ])
        #expect(result.diagnostics.isEmpty)
        #expect(result.migrations.map(\.typeName) == ["ViaProtocol", "ViaExtension"])
        #expect(result.migrations.map(\.contextType) == ["AppServices", "AppServices"])
    }

    @Test("an init in an extension keeps a struct's implicit init(); a nested type is qualified")
    func extensionInitAndNesting() {
        let result = discover([
            "x.migration.swift": """
            enum Legacy {
                struct Import: Migration {
                    let name = "legacy-import"
                    var limit = 10
                    func up(_ context: MigrationContext<App>) async throws {}
                }
            }
            extension Legacy.Import {
                init(limit: Int) { self.limit = limit }
            }
            """
        ])
        #expect(result.diagnostics.isEmpty)
        #expect(result.migrations.map(\.typeName) == ["Legacy.Import"])
    }
}
