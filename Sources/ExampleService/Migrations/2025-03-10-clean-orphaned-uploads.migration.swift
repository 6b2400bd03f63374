import Foundation
import GRDB
import Logging
import Migrations

/// Deletes files in the uploads directory that no row of `uploads` refers to.
///
/// A dry run lists what it would delete. It has no `down`: deleted files cannot come back.
struct CleanOrphanedUploads: Migration {
    let name = "2025-03-10-clean-orphaned-uploads"
    let description = "Delete uploaded files no uploads row refers to"

    func validate(_ context: MigrationContext<ExampleServices>) async throws -> ValidationResult {
        guard try await context.app.tableExists("uploads") || context.dryRun else {
            return .invalid("the uploads table does not exist; run 2025-01-10-create-schema first")
        }
        return .valid
    }

    func up(_ context: MigrationContext<ExampleServices>) async throws {
        let directory = context.app.uploadsDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let referenced = Set(
            try await context.app.database.read { db in
                try db.tableExists("uploads") ? String.fetchAll(db, sql: "SELECT path FROM uploads") : []
            })
        context.progress.setTotal(files.count)
        var deleted = 0
        for file in files {
            try Task.checkCancellation()
            if !referenced.contains(file) {
                if context.dryRun {
                    context.logger.info("would delete orphaned upload", metadata: ["file": "\(file)"])
                } else {
                    try FileManager.default.removeItem(atPath: "\(directory)/\(file)")
                }
                deleted += 1
            }
            context.progress.increment()
        }
        context.logger.info("\(context.dryRun ? "would delete" : "deleted") \(deleted) of \(files.count) files")
    }
}
