import Foundation
import GRDB

/// The example application's own context, handed to every migration: its database, its files, its
/// environment.
struct ExampleServices: Sendable {
    /// The application database (SQLite through GRDB).
    let database: DatabaseQueue
    /// The legacy export the import migration reads.
    let legacyUsersCSV: URL
    /// Where users' uploaded files live.
    let uploadsDirectory: String
    /// The process environment, read by the tenant-settings migration.
    let environment: [String: String]

    /// The pause between import batches, from `EXAMPLE_IMPORT_PAUSE_MS` (default 20).
    var importBatchPauseMilliseconds: Int {
        integer("EXAMPLE_IMPORT_PAUSE_MS", default: 20)
    }

    /// The pause between order backfill batches, from `EXAMPLE_BACKFILL_PAUSE_MS` (default 20): 200
    /// batches take about four seconds, long enough to interrupt in the README's demo.
    var backfillBatchPauseMilliseconds: Int {
        integer("EXAMPLE_BACKFILL_PAUSE_MS", default: 20)
    }

    /// The pause between the sharded banding migration's batches, from `EXAMPLE_BANDS_PAUSE_MS` (default 20).
    var bandingBatchPauseMilliseconds: Int {
        integer("EXAMPLE_BANDS_PAUSE_MS", default: 20)
    }

    /// How many demo orders the seed migration generates, from `EXAMPLE_DEMO_ORDERS` (default 200,000).
    var demoOrderCount: Int {
        max(1, integer("EXAMPLE_DEMO_ORDERS", default: 200_000))
    }

    /// The environment variable `key` as an integer, or `fallback` when it is unset or not a number.
    private func integer(_ key: String, default fallback: Int) -> Int {
        environment[key].flatMap(Int.init) ?? fallback
    }

    /// Opens (creating when missing) the database and the uploads directory.
    static func open(databasePath: String, uploadsDirectory: String) throws -> ExampleServices {
        try FileManager.default.createDirectory(atPath: uploadsDirectory, withIntermediateDirectories: true)
        let parent = URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let database = try DatabaseQueue(path: databasePath, configuration: configuration)
        guard let csv = Bundle.module.url(forResource: "legacy-users", withExtension: "csv") else {
            throw ExampleError("the bundled legacy-users.csv is missing from the build")
        }
        return ExampleServices(
            database: database,
            legacyUsersCSV: csv,
            uploadsDirectory: uploadsDirectory,
            environment: ProcessInfo.processInfo.environment
        )
    }

    /// Whether a table exists, asked of the database itself: GRDB's `tableExists` answers from a schema
    /// cache that does not see a table another replica created meanwhile.
    func tableExists(_ name: String) async throws -> Bool {
        try await database.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [name])
                ?? false
        }
    }
}

/// A readable error of the example application.
struct ExampleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
