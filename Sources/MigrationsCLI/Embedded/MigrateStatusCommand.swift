public import ArgumentParser
import Migrations

/// `migrate status`: the state of every registered migration, as a table or JSON.
public struct MigrateStatusCommand<App: MigrateApplication>: AsyncParsableCommand {
    /// `status`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "status",
            abstract: "Show the state of every registered migration.",
            discussion: """
                One row per migration in run order: pending, completed, failed, running (with the holder, \
                its TTL and progress) or unknown (foreign data under its keys). --json prints an array of \
                MigrationStatusRow objects, the same shape as `migrations status --json` plus description \
                and position.

                EXAMPLES:
                  migrate status
                  migrate status --json | jq -r '.[] | select(.state == "failed") | .name'

                \(MigrationsExitCode.migrateHelpText)
                """
        )
    }

    /// Print JSON instead of a table.
    @Flag(name: .customLong("json"), help: "Print a JSON array of status rows.")
    public var json = false

    /// Where state lives, and logging.
    @OptionGroup public var store: MigrateStoreOptions

    /// Creates the command; ArgumentParser does this.
    public init() {}

    /// Reads and prints the status.
    public mutating func run() async throws {
        let session = try await MigrateSession<App>.start(store)
        let runner = session.runner
        let rows = try await session.withContext { context in
            try await runner.status(context: context).map(MigrationStatusRow.init)
        }
        if json {
            try JSONOutput.write(rows)
            return
        }
        let summary = MigrationStatus.State.allCases.compactMap { state in
            let count = rows.filter { $0.state == state }.count
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }
        StandardStreams.writeOutput(
            MigrationStatusTable.render(rows, style: .forStandardOutput()) + "\n"
                + "\(rows.count) migrations: \(summary.joined(separator: ", ")) (state: \(session.storeDescription))\n")
    }
}
