public import ArgumentParser
import Foundation

/// The `migrate` command, embedded in an application's own executable.
///
/// It gives the application its migration subcommands, with state and leases in Redis (`--redis-url` or
/// `REDIS_URL`) or, without Redis, in files under `.migrations/`:
///
/// ```
/// my-app migrate run [NAME] [--dry-run] [--timeout SECONDS] [--continue-on-error] [--no-wait]
/// my-app migrate rollback NAME [--dry-run]
/// my-app migrate status [--json]
/// my-app migrate list
/// my-app migrate pause|resume|cancel NAME [--reason TEXT] [--by NAME]
/// my-app migrate history NAME [--limit N] [--json]
/// ```
///
/// Add it to the application's command tree, naming the ``MigrateApplication`` that supplies the
/// registry and the context, and let ``MigrationsCommandLine`` run the tree for the documented exit codes:
///
/// ```swift
/// @main
/// struct MyApp: AsyncParsableCommand {
///     static let configuration = CommandConfiguration(
///         commandName: "my-app",
///         subcommands: [Serve.self, MigrateCommand<MyMigrations>.self]
///     )
///
///     static func main() async {
///         await MigrationsCommandLine.main(Self.self)
///     }
/// }
/// ```
///
/// An application whose `main` does not use ArgumentParser calls ``runIfRequested(arguments:)`` first:
///
/// ```swift
/// await MigrateCommand<MyMigrations>.runIfRequested()   // handles `my-app migrate …` and exits
/// try await startServer()
/// ```
///
/// ## Topics
///
/// ### Subcommands
/// - ``MigrateRunCommand``
/// - ``MigrateRollbackCommand``
/// - ``MigrateStatusCommand``
/// - ``MigrateListCommand``
/// - ``MigratePauseCommand``
/// - ``MigrateResumeCommand``
/// - ``MigrateCancelCommand``
/// - ``MigrateHistoryCommand``
/// - ``MigrateStoreOptions``
public struct MigrateCommand<App: MigrateApplication>: AsyncParsableCommand {
    /// `migrate`, with `run`, `rollback`, `status`, `list`, `pause`, `resume`, `cancel` and `history`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "migrate",
            abstract: "Run, roll back and inspect the application's data migrations.",
            discussion: """
                State and leases are kept in Redis when --redis-url or REDIS_URL is set (so replicas \
                coordinate), otherwise in files under .migrations/ (processes on one machine).

                EXAMPLES:
                  migrate list
                  migrate run --dry-run
                  REDIS_URL=redis://cache:6379 migrate run
                  migrate run <name> --timeout 600
                  migrate rollback <name>
                  migrate status --json
                  migrate pause <name> --reason "replica lag"
                  migrate resume <name>
                  migrate history <name>

                \(MigrationsExitCode.migrateHelpText)
                """,
            subcommands: [
                MigrateRunCommand<App>.self, MigrateRollbackCommand<App>.self, MigrateStatusCommand<App>.self,
                MigrateListCommand<App>.self, MigratePauseCommand<App>.self, MigrateResumeCommand<App>.self,
                MigrateCancelCommand<App>.self, MigrateHistoryCommand<App>.self,
            ]
        )
    }

    /// Creates the command; ArgumentParser does this.
    public init() {}

    /// Runs `migrate` when it is the first argument, then exits with its code; otherwise returns at once.
    ///
    /// For applications whose `main` does not use ArgumentParser:
    ///
    /// ```swift
    /// await MigrateCommand<MyMigrations>.runIfRequested()
    /// ```
    ///
    /// - Parameter arguments: The process arguments, the program name first.
    public static func runIfRequested(arguments: [String] = CommandLine.arguments) async {
        guard arguments.count > 1, arguments[1] == configuration.commandName else { return }
        let code = await MigrationsCommandLine.run(Self.self, arguments: Array(arguments.dropFirst(2)))
        MigrationsCommandLine.exitProcess(code)
    }
}
