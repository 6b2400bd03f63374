import GRDB
import Logging
import Migrations

/// Creates the tables the other migrations fill.
struct CreateSchema: Migration {
    let name = "2025-01-10-create-schema"
    let description = "Create the users, tenant_settings and uploads tables"
    let canRollback = true

    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            legacy_id TEXT UNIQUE,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            signed_up TEXT,
            fencing_token INTEGER
        )
        """,
        "CREATE TABLE IF NOT EXISTS tenant_settings (tenant TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tenant, key))",
        "CREATE TABLE IF NOT EXISTS uploads (path TEXT PRIMARY KEY, owner INTEGER)",
    ]

    func up(_ context: MigrationContext<ExampleServices>) async throws {
        guard !context.dryRun else {
            context.logger.info("would run \(Self.statements.count) CREATE TABLE statements")
            return
        }
        try await context.app.database.write { db in
            for statement in Self.statements { try db.execute(sql: statement) }
        }
    }

    func down(_ context: MigrationContext<ExampleServices>) async throws {
        guard !context.dryRun else { return }
        try await context.app.database.write { db in
            for table in ["uploads", "tenant_settings", "users"] {
                try db.execute(sql: "DROP TABLE IF EXISTS \(table)")
            }
        }
    }
}
