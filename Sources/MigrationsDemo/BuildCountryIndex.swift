import Foundation
import Migrations

/// Counts customers per country into `country-index.json`. Has a `down` step that deletes it.
struct BuildCountryIndex: Migration {
    let name = "2025-01-03-build-country-index"
    let description = "Count customers per country into country-index.json"

    func up(_ context: MigrationContext<DemoFiles>) async throws {
        guard let customers = try context.app.importedCustomers(dryRun: context.dryRun) else { return }
        context.progress.setTotal(customers.count)
        var counts: [String: Int] = [:]
        for customer in customers {
            counts[customer.country, default: 0] += 1
            context.progress.increment()
        }
        if !context.dryRun { try context.app.writeJSON(counts, to: "country-index.json") }
    }

    func down(_ context: MigrationContext<DemoFiles>) async throws {
        if !context.dryRun { try context.app.remove("country-index.json") }
    }
}

/// A failure of a demo migration, with a readable message.
struct DemoError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
