public import ArgumentParser
import Migrations

/// `migrate list`: the registered migrations in run order, without touching any store.
public struct MigrateListCommand<App: MigrateApplication>: AsyncParsableCommand {
    /// `list`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "list",
            abstract: "List the registered migrations in run order.",
            discussion: """
                Reads only the application's registry: no Redis, no state files, no context.

                EXAMPLES:
                  migrate list
                  migrate list --json

                \(MigrationsExitCode.migrateHelpText)
                """
        )
    }

    /// Print JSON instead of a table.
    @Flag(name: .customLong("json"), help: "Print a JSON array of {position, name, description}.")
    public var json = false

    /// The log level, as for the other subcommands.
    @Option(name: .customLong("log-level"), help: ArgumentHelp("The log level. (default: info)", valueName: "level"))
    public var logLevel: String?

    /// Creates the command; ArgumentParser does this.
    public init() {}

    /// Prints the registry.
    public mutating func run() async throws {
        var options = MigrateStoreOptions()
        options.logLevel = logLevel
        let logger = MigrateSession<App>.makeLogger(options, console: MigrateSession<App>.makeConsole())
        let registry = try MigrateSession<App>.registry(logger: logger)
        let entries = registry.migrations.enumerated().map { index, migration in
            MigrationListEntry(position: index + 1, name: migration.name, description: migration.description)
        }
        if json {
            try JSONOutput.write(entries)
            return
        }
        var table = TextTable(headers: ["#", "NAME", "DESCRIPTION"])
        table.rightAligned = [0]
        for entry in entries {
            table.append([
                TextTable.Cell(String(entry.position)), TextTable.Cell(entry.name), TextTable.Cell(entry.description),
            ])
        }
        StandardStreams.writeOutput(table.render(style: .forStandardOutput()))
    }
}
