import Foundation
import Logging
import Migrations
import MigrationsCLI

/// The example application as `migrate` sees it: its registry and how to build its context.
enum ExampleMigrations: MigrateApplication {
    typealias Context = ExampleServices

    /// The migrations, oldest first: every `Migrations/*.migration.swift` file, in path order, found at
    /// build time by the `MigrationDiscoveryPlugin` (no list to maintain). With `MIGRATIONS_DEBUG=1` the
    /// registry logs which files were scanned and what was found.
    static func registry(logger: Logger) throws -> MigrationRegistry<ExampleServices> {
        let debug = ProcessInfo.processInfo.environment["MIGRATIONS_DEBUG"] == "1"
        return try MigrationRegistry<ExampleServices>.discovered(debugLogger: debug ? logger : nil)
    }

    /// Opens the database and uploads directory under `EXAMPLE_DATA_DIR` (default `example-data`).
    static func makeContext(logger: Logger) async throws -> ExampleServices {
        let dataDirectory = ProcessInfo.processInfo.environment["EXAMPLE_DATA_DIR"] ?? "example-data"
        return try ExampleServices.open(
            databasePath: "\(dataDirectory)/example.sqlite", uploadsDirectory: "\(dataDirectory)/uploads")
    }

    static var loggerLabel: String { "example-service" }
}
