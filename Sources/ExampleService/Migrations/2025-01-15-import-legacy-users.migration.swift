import Foundation
import GRDB
import Migrations

/// Imports the users of the legacy system from its CSV export, 5,000 rows, reporting progress and
/// resuming where an interrupted attempt stopped.
///
/// It reads the file with the batch helper (``MigrationContext/iterateLines(ofFile:batchSize:skippingHeader:process:)``),
/// 250 lines a batch; the checkpoint is the byte offset of the next line, so a deploy or a crash costs at
/// most the batches since the last written checkpoint. Rows without an e-mail address are skipped
/// (validation warns about them). The insert is idempotent on `legacy_id`, and each row carries the
/// lease's fencing token: a row written by a newer holder is never overwritten by a stale one. It pauses
/// between batches (`EXAMPLE_IMPORT_PAUSE_MS`, 20 ms by default), as a real import spares the database.
struct ImportLegacyUsers: Migration {
    let name = "2025-01-15-import-legacy-users"
    let description = "Import users from the legacy CSV export"
    let canRollback = true

    func validate(_ context: MigrationContext<ExampleServices>) async throws -> ValidationResult {
        guard FileManager.default.fileExists(atPath: context.app.legacyUsersCSV.path) else {
            return .invalid("the legacy export \(context.app.legacyUsersCSV.path) does not exist")
        }
        var warnings: [String] = []
        if try await !context.app.tableExists("users") {
            // In a dry run of all pending migrations the schema migration ran without writing.
            guard context.dryRun else {
                return .invalid("the users table does not exist; run 2025-01-10-create-schema first")
            }
            warnings.append("the users table does not exist yet; a real run needs 2025-01-10-create-schema first")
        }
        let rows = try LegacyUserRow.read(context.app.legacyUsersCSV)
        let withoutEmail = rows.filter { $0.email.isEmpty }.count
        if withoutEmail > 0 { warnings.append("\(withoutEmail) rows have no e-mail address and will be skipped") }
        return .valid(warnings: warnings)
    }

    func up(_ context: MigrationContext<ExampleServices>) async throws {
        context.progress.setTotal(try LegacyUserRow.read(context.app.legacyUsersCSV).count)
        let fencingToken = context.fencingToken.map { Int64($0) }
        let pause = Duration.milliseconds(context.app.importBatchPauseMilliseconds)
        try await context.iterateLines(
            ofFile: context.app.legacyUsersCSV.path, batchSize: 250, skippingHeader: true
        ) { lines in
            let rows = lines.compactMap(LegacyUserRow.init(line:)).filter { !$0.email.isEmpty }
            if !context.dryRun {
                try await context.app.database.write { db in
                    for row in rows {
                        try db.execute(
                            sql: """
                                INSERT INTO users (legacy_id, name, email, signed_up, fencing_token) VALUES (?, ?, ?, ?, ?)
                                ON CONFLICT(legacy_id) DO UPDATE SET name = excluded.name, email = excluded.email,
                                    fencing_token = excluded.fencing_token
                                WHERE users.fencing_token IS NULL OR users.fencing_token <= excluded.fencing_token
                                """,
                            arguments: [row.legacyID, row.name, row.email, row.signedUp, fencingToken])
                    }
                }
            }
            if pause > .zero { try await Task.sleep(for: pause) }
        }
        context.progress.complete()
    }

    func down(_ context: MigrationContext<ExampleServices>) async throws {
        guard !context.dryRun else { return }
        try await context.app.database.write { db in
            try db.execute(sql: "DELETE FROM users WHERE legacy_id IS NOT NULL")
        }
    }
}

/// One row of `legacy-users.csv`: `legacy_id,name,email,signed_up`.
struct LegacyUserRow: Sendable {
    let legacyID: String
    let name: String
    let email: String
    let signedUp: String

    /// Reads the file, skipping the header. Fields are plain (no quoted commas in this export).
    static func read(_ url: URL) throws -> [LegacyUserRow] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { LegacyUserRow(line: String($0)) }
    }

    /// Parses one line; `nil` when it does not have four fields.
    init?(line: String) {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else { return nil }
        self.init(legacyID: fields[0], name: fields[1], email: fields[2], signedUp: fields[3])
    }

    init(legacyID: String, name: String, email: String, signedUp: String) {
        self.legacyID = legacyID
        self.name = name
        self.email = email
        self.signedUp = signedUp
    }
}
