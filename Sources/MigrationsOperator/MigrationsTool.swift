import ArgumentParser
import MigrationsCLI

/// `migrations`: inspects and repairs the migration state in Redis, without the application's code.
@main
struct MigrationsTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrations",
        abstract: "Inspect and repair migration state in Redis, without the application's code.",
        discussion: """
            Reads and writes only the Redis keys of the migrations (<prefix>:<name>:completed, :result, \
            :error, :failure, :lease, :fence, :progress, :checkpoint, :control, :history), found with SCAN, never KEYS. To run migrations, use the \
            application's own `migrate` command.

            EXAMPLES:
              migrations status
              migrations status --json --redis-url redis://:secret@cache:6379/2
              migrations show 2025-01-02-import-customers
              migrations leases
              migrations unlock 2025-01-02-import-customers
              migrations unlock 2025-01-02-import-customers --force
              migrations reset 2025-01-03-build-country-index --yes
              migrations pause 2025-04-02-backfill-order-totals --reason "replica lag"
              migrations resume 2025-04-02-backfill-order-totals
              migrations cancel 2025-04-02-backfill-order-totals --reason "wrong column"
              migrations history 2025-04-02-backfill-order-totals

            \(MigrationsExitCode.helpText)
            """,
        subcommands: [
            StatusCommand.self, ShowCommand.self, LeasesCommand.self, UnlockCommand.self, ResetCommand.self,
            PauseCommand.self, ResumeCommand.self, CancelCommand.self, HistoryCommand.self,
        ]
    )

    /// Runs the command tree with the documented exit codes.
    static func main() async {
        await MigrationsCommandLine.main(Self.self)
    }
}
