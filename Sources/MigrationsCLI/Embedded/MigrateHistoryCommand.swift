public import ArgumentParser
import Migrations

/// `migrate history NAME [--limit N] [--json]`: the last attempts of one migration, newest first.
public struct MigrateHistoryCommand<App: MigrateApplication>: AsyncParsableCommand {
    /// `history`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "history",
            abstract: "Show the last attempts of a migration, newest first: who, when, how long, outcome.",
            discussion: """
                Every completed, failed, cancelled, paused and rolled-back attempt is kept in a capped \
                history (the last 50) by the same write that records it.

                EXAMPLES:
                  migrate history <name>
                  migrate history <name> --json --limit 5

                \(MigrationsExitCode.migrateHelpText)
                """)
    }

    /// The migration.
    @Argument(help: "The migration.")
    public var name: String

    /// At most this many attempts.
    @Option(name: .customLong("limit"), help: "At most this many attempts.")
    public var limit = 50

    /// Print JSON.
    @Flag(name: .customLong("json"), help: "Print the results as a JSON array, newest first.")
    public var json = false

    /// Where state lives, and logging.
    @OptionGroup public var store: MigrateStoreOptions

    /// Creates the command; ArgumentParser does this.
    public init() {}

    /// Refuses a limit below one.
    public func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    /// Reads and prints the history.
    public mutating func run() async throws {
        let session = try await MigrateSession<App>.start(store, requiring: name)
        defer { session.close() }
        let history = try await session.runner.stateStore.history(of: name, limit: limit)
        try MigrationHistoryTable.write(history, of: name, json: json)
    }
}
