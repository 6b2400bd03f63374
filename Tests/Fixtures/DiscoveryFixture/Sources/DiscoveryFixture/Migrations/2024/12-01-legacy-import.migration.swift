import Migrations

/// An older migration in a subdirectory: "2024/…" sorts before "2025-…", so it runs first.
struct LegacyImport: Migration {
    var name: String { "2024-12-01-legacy-import" }

    func up(_ context: MigrationContext<FixtureApp>) async throws {}
}
