import InMemoryLogging
import Logging
import Migrations
import MigrationsTestSupport
import Testing

@Suite("Registry", .timeLimit(.minutes(5)))
struct RegistryTests {
    @Test("registration order is run order")
    func registrationOrderIsRunOrder() async throws {
        let names = ["2025-03-01-c", "2025-01-01-a", "2025-02-01-b"]
        let harness = try TestHarness(names.map { counting($0) })
        #expect(harness.runner.registry.names == names)
        let results = try await harness.runner.runPending(context: harness.app)
        #expect(results.map(\.name) == names)
    }

    @Test("a duplicate name is refused with a clear error")
    func duplicateNameIsRefused() throws {
        var registry = MigrationRegistry<TestApp>()
        try registry.register(counting("import-users"))
        let error = #expect(throws: MigrationError.self) { try registry.register(counting("import-users")) }
        #expect(error?.code == .duplicateName)
        #expect(error?.message.contains("'import-users' is already registered") == true)
        #expect(registry.count == 1)
    }

    @Test(
        "invalid names are refused at registration",
        arguments: [
            "", "   ", "with\nnewline", "nul\u{0}byte", "tab\there", "del\u{7F}", String(repeating: "x", count: 129),
        ]
    )
    func invalidNamesAreRefused(name: String) {
        var registry = MigrationRegistry<TestApp>()
        let error = #expect(throws: MigrationError.self) { try registry.register(counting(name)) }
        #expect(error?.code == .invalidName)
        #expect(registry.count == 0)
    }

    @Test("a control character is named in the message")
    func controlCharacterIsNamed() {
        let error = #expect(throws: MigrationError.self) { try MigrationName.validate("a\nb") }
        #expect(error?.message.contains("U+000A") == true)
    }

    @Test("names with punctuation, unicode and up to the maximum length are accepted")
    func unusualButValidNamesAreAccepted() throws {
        var registry = MigrationRegistry<TestApp>()
        for name in [
            "a:b", "users/backfill", "*?[]{}", "spaces are fine", "ünïcödé-迁移", String(repeating: "é", count: 64),
        ] {
            try registry.register(counting(name))
        }
        #expect(registry.count == 6)
    }

    @Test("an unknown name lists the known ones")
    func unknownNameListsKnownOnes() throws {
        let registry = try MigrationRegistry<TestApp>([counting("a"), counting("b")])
        let error = #expect(throws: MigrationError.self) { try registry.require("x") }
        #expect(error?.code == .unknownMigration)
        #expect(error?.message == "unknown migration 'x'; known: 'a', 'b'")
    }

    @Test("the debug logger logs each registration")
    func debugLoggerLogsRegistrations() throws {
        let logs = InMemoryLogHandler()
        var registry = MigrationRegistry<TestApp>(debugLogger: Logger(label: "registry") { _ in logs })
        try registry.register(counting("first"))
        try registry.register(counting("second"))
        #expect(logs.entries.map { $0.metadata["migration.name"]?.description } == ["first", "second"])
        #expect(logs.entries.last?.metadata["migration.position"] == "2")
    }
}
