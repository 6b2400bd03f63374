import Testing

@testable import MigrationDiscovery

@Suite("Configuration and patterns", .timeLimit(.minutes(5)))
struct ConfigurationTests {
    @Test("every key is optional; the defaults scan the whole target recursively for *.migration.swift")
    func defaults() throws {
        let configuration = try DiscoveryConfiguration(json: "{}", path: "migration-discovery.json")
        #expect(configuration == DiscoveryConfiguration(pattern: "*.migration.swift", recursive: true, directory: ""))
    }

    @Test("the keys are read, and the directory is normalised")
    func readsKeys() throws {
        let configuration = try DiscoveryConfiguration(
            json: #"{"pattern": "*.step.swift", "recursive": false, "directory": "./Migrations/"}"#,
            path: "c.json"
        )
        #expect(
            configuration == DiscoveryConfiguration(pattern: "*.step.swift", recursive: false, directory: "Migrations"))
    }

    @Test(
        "mistakes in the file are errors that name the key and its line",
        arguments: [
            ("{\n  \"recusive\": true\n}", "c.json:2: error: unknown key 'recusive' in migration-discovery.json"),
            (
                "{\n  \"recursive\": \"yes\"\n}",
                "c.json:2: error: 'recursive' in migration-discovery.json must be true or false"
            ),
            (
                "{\"pattern\": \"\"}",
                "c.json:1: error: 'pattern' in migration-discovery.json must be a non-empty string"
            ),
            ("{\"directory\": \"../Other\"}", "c.json:1: error: 'directory' must be a path inside the target"),
            ("[1]", "c.json:1: error: migration-discovery.json must hold a JSON object"),
            ("{", "c.json:1: error: migration-discovery.json is not valid JSON"),
        ]
    )
    func invalidFiles(json: String, message: String) {
        let error = #expect(throws: DiscoveryDiagnostic.self) { try DiscoveryConfiguration(json: json, path: "c.json") }
        #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "")")
    }

    @Test(
        "glob patterns match names, or paths when they contain a slash",
        arguments: [
            ("*.migration.swift", "Migrations/2025-01-15-a.migration.swift", true),
            ("*.migration.swift", "Migrations/a.swift", false),
            ("*.migration.swift", "a.migration.swift.bak", false),
            ("2025-??-*.swift", "x/2025-01-a.swift", true),
            ("[0-9]*.swift", "2025.swift", true),
            ("[!0-9]*.swift", "2025.swift", false),
            ("2025/*.swift", "2025/a.swift", true),
            ("2025/*.swift", "2025/b/a.swift", false),
            ("2025/**/*.swift", "2025/b/c/a.swift", true),
            ("**/*.swift", "a.swift", true),
        ]
    )
    func globs(pattern: String, path: String, matches: Bool) {
        #expect(PathPattern(pattern).matches(path) == matches)
    }
}
