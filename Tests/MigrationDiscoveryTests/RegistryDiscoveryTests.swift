import InMemoryLogging
import Logging
import Migrations
import Testing

@Suite("Registry: discovered migrations", .timeLimit(.minutes(5)))
struct RegistryDiscoveryTests {
    struct App: Sendable {}

    struct Named: Migration {
        let name: String
        func up(_ context: MigrationContext<App>) async throws {}
    }

    private let report = MigrationDiscoveryReport(
        pattern: "*.migration.swift",
        directory: "Migrations",
        scannedFiles: ["Migrations/a.migration.swift", "Migrations/b.migration.swift"],
        found: [
            .init(typeName: "A", name: "a", file: "Migrations/a.migration.swift", line: 3),
            .init(typeName: "B", name: nil, file: "Migrations/b.migration.swift", line: 5),
        ],
        skipped: [.init(file: "Manual.swift", reason: "does not match")],
        warnings: [.init(file: "Migrations/b.migration.swift", line: 6, message: "name is not a literal")]
    )

    @Test("a registry built from discovered migrations keeps their order")
    func keepsOrder() throws {
        let registry = try MigrationRegistry<App>(discovered: [Named(name: "a"), Named(name: "b")], report: report)
        #expect(registry.names == ["a", "b"])
    }

    @Test("the debug logger gets the scan, each file, each migration, each skip and each warning")
    func logsReport() throws {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "discovery") { _ in logs }
        _ = try MigrationRegistry<App>(
            discovered: [Named(name: "a"), Named(name: "b")], report: report, debugLogger: logger)
        let messages = logs.entries.map(\.message.description)
        #expect(messages.first == "discovery scanned 2 file(s), found 2 migration(s)")
        #expect(messages.filter { $0 == "discovery scanned file" }.count == 2)
        #expect(messages.filter { $0 == "discovered migration" }.count == 2)
        #expect(messages.filter { $0 == "registered migration" }.count == 2)
        let skip = logs.entries.first { $0.message == "discovery skipped file" }
        #expect(skip?.metadata["discovery.file"] == "Manual.swift")
        #expect(skip?.metadata["discovery.reason"] == "does not match")
        let warning = logs.entries.first { $0.level == .warning }
        #expect(warning?.message == "name is not a literal")
        #expect(logs.entries.first { $0.message == "discovered migration" }?.metadata["migration.type"] == "A")
    }

    @Test("a duplicate found only at run time names the file that declares it")
    func runtimeDuplicateNamesFile() {
        let error = #expect(throws: MigrationError.self) {
            try MigrationRegistry<App>(discovered: [Named(name: "same"), Named(name: "same")], report: report)
        }
        #expect(error?.code == .duplicateName)
        #expect(error?.message.hasSuffix("(discovered in Migrations/b.migration.swift:5, type B)") == true)
    }

    @Test("registering discovered migrations appends them after those already registered")
    func registerAppends() throws {
        var registry = try MigrationRegistry<App>([Named(name: "manual")])
        try registry.register(discovered: [Named(name: "a"), Named(name: "b")], report: report)
        #expect(registry.names == ["manual", "a", "b"])
    }
}
