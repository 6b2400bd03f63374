import Testing

@testable import MigrationDiscovery

@Suite("Generated code", .timeLimit(.minutes(5)))
struct RendererTests {
    @Test("the catalog lists files, report entries and constructors in run order")
    func catalog() {
        let result = discover([
            "Migrations/b.migration.swift": migrationSource("B", name: "b"),
            "Migrations/a.migration.swift": migrationSource("A", name: "a"),
            "Manual.swift": migrationSource("Manual", name: "manual"),
        ])
        let code = DiscoveredMigrationsRenderer(result: result).render()
        #expect(code.contains("import Logging\nimport Migrations\n"))
        #expect(code.contains("    typealias Context = App\n"))
        #expect(code.contains("        \"Migrations/a.migration.swift\",\n        \"Migrations/b.migration.swift\",\n"))
        #expect(code.contains(#".init(typeName: "A", name: "a", file: "Migrations/a.migration.swift", line: 3)"#))
        #expect(code.contains(#".init(file: "Manual.swift", reason: "'Manual' conforms to Migration"#))
        #expect(
            code.contains(
                "static func all() -> [any Migration<App>] {\n        [\n            A(),\n            B(),\n        ]")
        )
        #expect(code.contains("extension MigrationRegistry where Context == App {"))
        #expect(
            code.contains(
                "debugLogger: Logging.Logger? = nil\n    ) throws(MigrationError) -> MigrationRegistry<Context>"))
        #expect(
            code.contains("mutating func registerDiscovered(debugLogger: Logging.Logger? = nil) throws(MigrationError)")
        )
        #expect(code.hasSuffix("}\n"))
    }

    @Test("with no migration yet, the API is generic over the context so the app still compiles")
    func emptyCatalog() {
        let code = DiscoveredMigrationsRenderer(result: discover(["main.swift": ""])).render()
        #expect(code.contains("static func all<Context: Sendable>() -> [any Migration<Context>] {"))
        #expect(code.contains("extension MigrationRegistry {"))
        #expect(!code.contains("typealias Context"))
        #expect(code.contains("static let files: [String] = []"))
    }

    @Test("names and reasons are escaped as Swift string literals")
    func escaping() {
        #expect(SwiftSourceLiteral.string("a\"b\\c\nd\u{7}") == #""a\"b\\c\nd\u{7}""#)
        #expect(SwiftSourceLiteral.string("迁移-é") == "\"迁移-é\"")
        #expect(SwiftSourceLiteral.optionalString(nil) == "nil")
    }
}
