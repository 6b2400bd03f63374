import Migrations

/// A migration outside the Migrations directory: reported as skipped, not discovered.
struct ManualMigration: Migration {
    let name = "manual"

    func up(_ context: MigrationContext<FixtureApp>) async throws {}
}
