import ArgumentParser
import MigrationsCLI

/// `migrations-demo`: a tiny application that embeds the `migrate` command.
///
/// Its four migrations work on files in a working directory (`MIGRATIONS_DEMO_DIR`, `demo-data` by
/// default): write a CSV of 5,000 customers, import it into JSON, build a per-country index, archive the
/// inactive customers.
@main
struct DemoTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrations-demo",
        abstract: "A tiny application embedding `migrate`, with four migrations on files.",
        discussion: """
            The migrations work on files in MIGRATIONS_DEMO_DIR (default: ./demo-data). State is kept in \
            Redis with --redis-url or REDIS_URL, otherwise in ./.migrations.

            EXAMPLES:
              migrations-demo migrate list
              migrations-demo migrate run
              migrations-demo migrate status
              migrations-demo migrate rollback 2025-01-03-build-country-index
            """,
        subcommands: [MigrateCommand<DemoApplication>.self]
    )

    /// Runs the command tree with the documented exit codes.
    static func main() async {
        await MigrationsCommandLine.main(Self.self)
    }
}
