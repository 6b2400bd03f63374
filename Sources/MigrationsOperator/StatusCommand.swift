import ArgumentParser
import Migrations
import MigrationsCLI
import MigrationsRedis

/// `migrations status`: every migration found under the prefix, one row each.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every migration found in Redis, one row each.",
        discussion: """
            Finds migrations by their :completed, :result, :error and :lease keys (SCAN), reads them in \
            pipelined batches, and prints one row each, sorted by name: state (completed, failed, running, \
            pending, unknown), completed at, duration, triggered by, and the last error (shortened) or, \
            while running, the holder's host and pid, since when, the TTL left and the published progress.

            --json prints an array of MigrationStatusRow objects: the same shape as the application's \
            `migrate status --json`, without description and position.

            EXAMPLES:
              migrations status
              migrations status --prefix billing-migration
              migrations status --json | jq -r '.[] | select(.state == "running") | .holder.host'

            \(MigrationsExitCode.helpText)
            """
    )

    @Flag(name: .customLong("json"), help: "Print a JSON array of status rows.")
    var json = false

    @OptionGroup var redis: OperatorOptions

    func run() async throws {
        try await redis.withInspector { inspector, target in
            let rows = try await inspector.statusRows()
            if json {
                try JSONOutput.write(rows)
                return
            }
            guard !rows.isEmpty else {
                StandardStreams.writeOutputLine("No migrations found \(redis.place(target)).")
                return
            }
            let counts = MigrationStatus.State.allCases.compactMap { state in
                let count = rows.filter { $0.state == state }.count
                return count == 0 ? nil : "\(count) \(state.rawValue)"
            }
            StandardStreams.writeOutput(MigrationStatusTable.render(rows, style: .forStandardOutput()) + "\n")
            StandardStreams.writeOutputLine(
                "\(rows.count) migrations \(redis.place(target)): \(counts.joined(separator: ", "))")
        }
    }
}
