import Migrations

/// Creates the users table.
struct CreateUsers: Migration {
    let name = "2025-01-15-create-users"
    let description = "Create the users table"

    func up(_ context: MigrationContext<FixtureApp>) async throws {
        context.logger.info("creating users for \(context.app.tenant)")
    }
}
