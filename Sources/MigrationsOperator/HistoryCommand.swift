import ArgumentParser
import Foundation
import Migrations
import MigrationsCLI
import MigrationsRedis

/// `migrations history NAME [--limit N] [--json]`: the last attempts of one migration, newest first.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the last attempts of a migration, newest first: who, when, how long, outcome.",
        discussion: """
            Reads <prefix>:<name>:history, the capped list (50 by default) that every completed, failed, \
            cancelled, paused and rolled-back attempt is pushed to by the same script that records it.

            EXAMPLES:
              migrations history 2025-04-02-backfill-order-totals
              migrations history 2025-04-02-backfill-order-totals --json --limit 5

            \(MigrationsExitCode.helpText)
            """
    )

    @Argument(help: "The migration.")
    var name: String

    @Option(name: .customLong("limit"), help: "At most this many attempts.")
    var limit = 50

    @Flag(name: .customLong("json"), help: "Print the results as a JSON array, newest first.")
    var json = false

    @OptionGroup var redis: OperatorOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let history = try await redis.withInspector { inspector, _ in
            try await RedisStateStore(connection: inspector.connection, keys: inspector.keys)
                .history(of: name, limit: limit)
        }
        try MigrationHistoryTable.write(history, of: name, json: json)
    }
}
