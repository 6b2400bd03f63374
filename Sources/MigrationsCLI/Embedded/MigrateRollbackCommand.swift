public import ArgumentParser
import Migrations

/// `migrate rollback NAME`: runs a completed migration's `down` step and marks it pending again.
public struct MigrateRollbackCommand<App: MigrateApplication>: AsyncParsableCommand {
    /// `rollback`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "rollback",
            abstract: "Roll a completed migration back with its down step.",
            discussion: """
                Runs the migration's down step under its lease, then clears its completion so it is \
                pending again. Refused (exit 1) when the migration has no down step or has not completed.

                EXAMPLES:
                  migrate rollback <name>
                  migrate rollback <name> --dry-run

                \(MigrationsExitCode.migrateHelpText)
                """
        )
    }

    /// The migration to roll back.
    @Argument(help: "The migration to roll back.")
    public var name: String

    /// Run `down` with `dryRun == true`, recording nothing.
    @Flag(name: .customLong("dry-run"), help: "Run the down step without writing, and record nothing.")
    public var dryRun = false

    /// Print the result as JSON.
    @Flag(name: .customLong("json"), help: "Print the result as a JSON array.")
    public var json = false

    /// Where state lives, and logging.
    @OptionGroup public var store: MigrateStoreOptions

    /// Creates the command; ArgumentParser does this.
    public init() {}

    /// Rolls the migration back and prints what happened.
    public mutating func run() async throws {
        let session = try await MigrateSession<App>.start(store, requiring: name)
        let name = self.name
        let options = MigrationRunOptions(dryRun: dryRun, triggeredBy: store.triggeredBy)
        try await session.execute(json: json, emptyMessage: "Nothing rolled back") { runner, context in
            [try await runner.rollback(name, context: context, options: options)]
        }
    }
}
