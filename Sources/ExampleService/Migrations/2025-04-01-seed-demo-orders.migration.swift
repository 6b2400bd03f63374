import GRDB
import Migrations

/// Creates the `orders` table with 200,000 generated orders (`EXAMPLE_DEMO_ORDERS`), the input of the
/// order-totals backfill.
///
/// In a real service the orders would already be there; the example generates them, in one transaction,
/// only when the table is empty.
struct SeedDemoOrders: Migration {
    let name = "2025-04-01-seed-demo-orders"
    let description = "Create the orders table with 200,000 generated demo orders"
    let canRollback = true

    func up(_ context: MigrationContext<ExampleServices>) async throws {
        let count = context.app.demoOrderCount
        context.progress.setTotal(count)
        guard !context.dryRun else { return }
        try await context.app.database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS orders (
                        id INTEGER PRIMARY KEY,
                        quantity INTEGER NOT NULL,
                        unit_price_cents INTEGER NOT NULL,
                        total_cents INTEGER,
                        fencing_token INTEGER
                    )
                    """)
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders") == 0 else { return }
            let insert = try db.makeStatement(
                sql: "INSERT INTO orders (id, quantity, unit_price_cents) VALUES (?, ?, ?)")
            for id in 1...count {
                try insert.execute(arguments: [id, id % 7 + 1, 100 + (id * 37) % 9_900])
            }
        }
        context.progress.complete()
    }

    func down(_ context: MigrationContext<ExampleServices>) async throws {
        guard !context.dryRun else { return }
        try await context.app.database.write { db in try db.execute(sql: "DROP TABLE IF EXISTS orders") }
    }
}
