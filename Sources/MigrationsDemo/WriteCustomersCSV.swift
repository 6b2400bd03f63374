import Foundation
import Logging
import Migrations

/// Writes 5,000 sample customers to `customers.csv`. Has a `down` step that deletes it.
struct WriteCustomersCSV: Migration {
    let name = "2025-01-01-write-customers-csv"
    let description = "Write 5,000 sample customers to customers.csv"

    static let count = 5000
    private static let countries = ["DE", "FR", "GB", "NL", "SE", "US", "JP", "BR"]

    func up(_ context: MigrationContext<DemoFiles>) async throws {
        context.progress.setTotal(Self.count)
        var lines = [Customer.csvHeader]
        lines.reserveCapacity(Self.count + 1)
        for id in 1...Self.count {
            let customer = Customer(
                id: id, name: "Customer \(id)", email: id % 400 == 0 ? nil : "customer\(id)@example.com",
                country: Self.countries[id % Self.countries.count], active: id % 7 != 0)
            lines.append(customer.csvLine)
            context.progress.increment()
        }
        if context.dryRun {
            context.logger.info("dry run: would write \(Self.count) customers to customers.csv")
            return
        }
        try (lines.joined(separator: "\n") + "\n").write(
            to: context.app.url("customers.csv"), atomically: true, encoding: .utf8)
    }

    func down(_ context: MigrationContext<DemoFiles>) async throws {
        if !context.dryRun { try context.app.remove("customers.csv") }
    }
}
