import Foundation
import Logging
import Migrations

/// Moves inactive customers from `customers.json` to `archive.json`.
struct ArchiveInactiveCustomers: Migration {
    let name = "2025-01-04-archive-inactive-customers"
    let description = "Move inactive customers from customers.json to archive.json"

    func up(_ context: MigrationContext<DemoFiles>) async throws {
        guard let customers = try context.app.importedCustomers(dryRun: context.dryRun) else { return }
        context.progress.setTotal(customers.count)
        var active: [Customer] = []
        var inactive: [Customer] = []
        for customer in customers {
            if customer.active { active.append(customer) } else { inactive.append(customer) }
            context.progress.increment()
        }
        context.logger.info("archiving \(inactive.count) of \(customers.count) customers")
        if context.dryRun { return }
        try context.app.writeJSON(inactive, to: "archive.json")
        try context.app.writeJSON(active, to: "customers.json")
    }
}
