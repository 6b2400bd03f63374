import Foundation
import Logging
import Migrations
import MigrationsCLI

/// The demo's migrations and context, for `MigrateCommand`.
///
/// Two hidden migrations serve the tests: `MIGRATIONS_DEMO_SLOW=SECONDS` adds `9999-slow-demo`, which
/// runs that long while reporting progress, and `MIGRATIONS_DEMO_FAIL=1` adds `9998-failing-demo`,
/// which always fails.
enum DemoApplication: MigrateApplication {
    static func registry(logger: Logger) throws -> MigrationRegistry<DemoFiles> {
        let environment = ProcessInfo.processInfo.environment
        var migrations: [any Migration<DemoFiles>] = [
            WriteCustomersCSV(), ImportCustomers(), BuildCountryIndex(), ArchiveInactiveCustomers(),
        ]
        if environment["MIGRATIONS_DEMO_FAIL"] == "1" { migrations.append(FailingDemoMigration()) }
        if let seconds = environment["MIGRATIONS_DEMO_SLOW"].flatMap(Double.init), seconds > 0 {
            migrations.append(SlowDemoMigration(seconds: seconds))
        }
        return try MigrationRegistry(migrations)
    }

    static func makeContext(logger: Logger) async throws -> DemoFiles {
        let directory = ProcessInfo.processInfo.environment["MIGRATIONS_DEMO_DIR"] ?? "demo-data"
        let delay = ProcessInfo.processInfo.environment["MIGRATIONS_DEMO_DELAY_MS"].flatMap(Int.init) ?? 10
        return try DemoFiles(directory: directory, importDelay: .milliseconds(delay))
    }

    static var loggerLabel: String { "migrations-demo" }
}
