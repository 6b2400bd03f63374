import GRDB
import Migrations

/// Fills `orders.total_cents` for 200,000 orders, 1,000 at a time, resumable, in the background: the long
/// backfill of the README's kill-and-resume demo.
///
/// It walks the table by primary key with the batch helper: the cursor is the last id done, saved as the
/// checkpoint after every batch (and written at most once a second), so a replica killed mid-way is
/// continued by the next one from there. Each write carries the lease's fencing token and never
/// overwrites a row written under a higher one, so a stalled holder cannot undo its successor's work.
/// It pauses between batches (`EXAMPLE_BACKFILL_PAUSE_MS`, 20 ms by default).
struct BackfillOrderTotals: Migration {
    let name = "2025-04-02-backfill-order-totals"
    let description = "Compute total_cents for every order, 1,000 orders a batch, resumable, in the background"
    /// The service serves while it runs: the worker of any replica takes it, resumes it, and stops it at its
    /// checkpoint on a graceful shutdown.
    var schedule: MigrationSchedule { .inBackground }

    func validate(_ context: MigrationContext<ExampleServices>) async throws -> ValidationResult {
        if try await context.app.tableExists("orders") { return .valid }
        guard context.dryRun else {
            return .invalid("the orders table does not exist; run 2025-04-01-seed-demo-orders first")
        }
        return .valid(warnings: [
            "the orders table does not exist yet; a real run needs 2025-04-01-seed-demo-orders first"
        ])
    }

    func up(_ context: MigrationContext<ExampleServices>) async throws {
        guard try await context.app.tableExists("orders") else { return }
        let database = context.app.database
        context.progress.setTotal(
            try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM orders") ?? 0 })
        let fencingToken = context.fencingToken.map { Int64($0) }
        let pause = Duration.milliseconds(context.app.backfillBatchPauseMilliseconds)
        try await context.iterate(from: nil as Int64?) { (after: Int64?) -> MigrationBatch<Int64, Int64>? in
            let ids = try await database.read { db in
                try Int64.fetchAll(
                    db, sql: "SELECT id FROM orders WHERE id > ? ORDER BY id LIMIT 1000", arguments: [after ?? 0])
            }
            guard let last = ids.last else { return nil }
            return MigrationBatch(items: ids, cursor: last)
        } process: { ids in
            guard !context.dryRun, let first = ids.first, let last = ids.last else { return }
            try await database.write { db in
                try db.execute(
                    sql: """
                        UPDATE orders SET total_cents = quantity * unit_price_cents, fencing_token = ?
                        WHERE id BETWEEN ? AND ? AND (fencing_token IS NULL OR fencing_token <= ?)
                        """,
                    arguments: [fencingToken, first, last, fencingToken])
            }
            if pause > .zero { try await Task.sleep(for: pause) }
        }
    }
}
