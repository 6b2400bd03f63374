import GRDB
import Logging
import Migrations

/// Moves per-tenant settings from environment variables (`TENANT_<TENANT>_<KEY>=value`) into the
/// `tenant_settings` table, so that they can change without a deploy.
struct MoveTenantSettings: Migration {
    let name = "2025-02-01-move-tenant-settings"
    let description = "Move TENANT_<tenant>_<key> environment variables into tenant_settings"
    let canRollback = true

    /// The settings found in the environment, sorted.
    static func settings(in environment: [String: String]) -> [(tenant: String, key: String, value: String)] {
        environment.compactMap { name, value -> (String, String, String)? in
            let parts = name.split(separator: "_", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[0] == "TENANT", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
            return (parts[1].lowercased(), parts[2].lowercased(), value)
        }
        .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    func validate(_ context: MigrationContext<ExampleServices>) async throws -> ValidationResult {
        guard try await context.app.tableExists("tenant_settings") || context.dryRun else {
            return .invalid("the tenant_settings table does not exist; run 2025-01-10-create-schema first")
        }
        let found = Self.settings(in: context.app.environment)
        return .valid(warnings: found.isEmpty ? ["no TENANT_<tenant>_<key> variables are set; nothing to move"] : [])
    }

    func up(_ context: MigrationContext<ExampleServices>) async throws {
        let settings = Self.settings(in: context.app.environment)
        context.progress.setTotal(settings.count)
        for setting in settings {
            context.logger.info("moving setting", metadata: ["tenant": "\(setting.tenant)", "key": "\(setting.key)"])
            if !context.dryRun {
                try await context.app.database.write { db in
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO tenant_settings (tenant, key, value) VALUES (?, ?, ?)",
                        arguments: [setting.tenant, setting.key, setting.value])
                }
            }
            context.progress.increment()
        }
    }

    func down(_ context: MigrationContext<ExampleServices>) async throws {
        let settings = Self.settings(in: context.app.environment)
        guard !context.dryRun else { return }
        try await context.app.database.write { db in
            for setting in settings {
                try db.execute(
                    sql: "DELETE FROM tenant_settings WHERE tenant = ? AND key = ?",
                    arguments: [setting.tenant, setting.key])
            }
        }
    }
}
