import GRDB
import Migrations

/// Puts every order in a size band (`small`, `medium`, `large`) in `order_bands`, split into 12 shards
/// that the whole fleet runs at once: each replica takes free shards until none is left, and whichever
/// completes the last one records the migration's completion.
///
/// Shard `k` does its slice of the order ids (`1…max(id)`, split into 12 contiguous ranges), 1,000 orders a
/// batch, resumable from its own checkpoint. Each row carries the shard's fencing token and is never
/// overwritten under a lower one, so a stalled holder of a shard cannot undo the work of the replica that
/// took it over. It pauses between batches (`EXAMPLE_BANDS_PAUSE_MS`, 20 ms by default).
struct BandOrdersBySize: Migration {
    let name = "2025-04-03-band-orders-by-size"
    let description = "Put every order in a size band, in 12 shards the replicas share"
    let sharding: MigrationSharding? = .count(12)

    func validate(_ context: MigrationContext<ExampleServices>) async throws -> ValidationResult {
        if try await context.app.tableExists("orders") { return .valid }
        return .invalid("the orders table does not exist; run 2025-04-01-seed-demo-orders first")
    }

    func up(_ context: MigrationContext<ExampleServices>) async throws {
        guard let shard = context.shard else { return }
        let database = context.app.database
        let highest = try await database.read { try Int.fetchOne($0, sql: "SELECT MAX(id) FROM orders") ?? 0 }
        let ids = shard.slice(of: 1..<(highest + 1))
        context.progress.setTotal(ids.count)
        let fencingToken = context.fencingToken.map { Int64($0) }
        let pause = Duration.milliseconds(context.app.bandingBatchPauseMilliseconds)
        if !context.dryRun {
            try await database.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS order_bands (
                            order_id INTEGER PRIMARY KEY, band TEXT NOT NULL, fencing_token INTEGER)
                        """)
            }
        }
        try await context.iterate(from: ids.lowerBound) { (start: Int?) -> MigrationBatch<Int, Int>? in
            let from = start ?? ids.lowerBound
            let end = min(ids.upperBound, from + 1_000)
            guard from < end else { return nil }
            return MigrationBatch(items: Array(from..<end), cursor: end)
        } process: { batch in
            guard !context.dryRun, let first = batch.first, let last = batch.last else { return }
            try await database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO order_bands (order_id, band, fencing_token)
                        SELECT id, CASE WHEN quantity * unit_price_cents < 10000 THEN 'small'
                                        WHEN quantity * unit_price_cents < 40000 THEN 'medium' ELSE 'large' END, ?
                        FROM orders WHERE id BETWEEN ? AND ?
                        ON CONFLICT(order_id) DO UPDATE SET band = excluded.band, fencing_token = excluded.fencing_token
                        WHERE order_bands.fencing_token IS NULL OR order_bands.fencing_token <= excluded.fencing_token
                        """,
                    arguments: [fencingToken, first, last])
            }
            if pause > .zero { try await Task.sleep(for: pause) }
        }
    }
}
