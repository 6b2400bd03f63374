import Foundation
import Migrations

/// Imports `customers.csv` into `customers.json`, reporting progress over every row. Its validation
/// warns about rows without an e-mail address.
struct ImportCustomers: Migration {
    let name = "2025-01-02-import-customers"
    let description = "Import customers.csv into customers.json"

    func validate(_ context: MigrationContext<DemoFiles>) async throws -> ValidationResult {
        guard context.app.exists("customers.csv") else {
            if context.dryRun {
                return .valid(warnings: [
                    "customers.csv does not exist yet (a dry run writes nothing); nothing to import"
                ])
            }
            return .invalid("customers.csv is missing; run 2025-01-01-write-customers-csv first")
        }
        let withoutEmail = try rows(context).filter { $0.email == nil }.count
        return withoutEmail == 0
            ? .valid : .valid(warnings: ["\(withoutEmail) rows have no e-mail address; they are imported without one"])
    }

    func up(_ context: MigrationContext<DemoFiles>) async throws {
        guard context.app.exists("customers.csv") else { return }
        let rows = try rows(context)
        context.progress.setTotal(rows.count)
        var imported: [Customer] = []
        imported.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            if index % 250 == 0 {
                try Task.checkCancellation()
                try await Task.sleep(for: context.app.importDelay)
            }
            imported.append(row)
            context.progress.increment()
        }
        if !context.dryRun { try context.app.writeJSON(imported, to: "customers.json") }
    }

    private func rows(_ context: MigrationContext<DemoFiles>) throws -> [Customer] {
        let text = try String(contentsOf: context.app.url("customers.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap(Customer.init(csvLine:))
    }
}
