import Foundation
package import Migrations

/// The human form of `history`: one row per attempt, newest first.
///
/// ```
/// FINISHED AT           OUTCOME    DURATION  BY         RECORDS  RESUMED FROM  RUN ID    DETAILS
/// 2026-12-01T23:46:55Z  completed     4.37s  replica-2   200000         38000  9baf6e04
/// 2026-12-01T23:46:47Z  paused        1.02s  replica-1    38000                e7995bf8  paused by ops …
/// ```
package enum MigrationHistoryTable {
    /// Prints one migration's history, as `history` and `migrate history` do: the JSON array, the table,
    /// or a line saying there is none.
    ///
    /// - Parameters:
    ///   - history: The attempts, newest first.
    ///   - name: The migration.
    ///   - json: Whether to print JSON.
    package static func write(_ history: [MigrationResult], of name: String, json: Bool) throws {
        if json {
            try JSONOutput.write(history)
        } else if history.isEmpty {
            StandardStreams.writeOutputLine("No recorded attempts of '\(name)'.")
        } else {
            StandardStreams.writeOutput(render(history, style: .forStandardOutput()))
        }
    }

    /// Renders results, newest first as given.
    ///
    /// - Parameters:
    ///   - results: The attempts.
    ///   - style: Whether colours are written.
    package static func render(_ results: [MigrationResult], style: TerminalStyle) -> String {
        var table = TextTable(
            headers: ["FINISHED AT", "OUTCOME", "DURATION", "BY", "RECORDS", "RESUMED FROM", "RUN ID", "DETAILS"])
        table.rightAligned = [2, 4, 5]
        for result in results {
            let outcome = result.failure.map { "\(result.status.rawValue) (\($0.rawValue))" } ?? result.status.rawValue
            let details = result.control?.summary ?? result.error.map { DisplayFormat.shortened($0, to: 80) } ?? ""
            table.append([
                TextTable.Cell(DisplayFormat.timestamp(result.finishedAt)),
                TextTable.Cell(outcome, result.isFailure ? .red : result.status == .paused ? .yellow : .green),
                TextTable.Cell(DisplayFormat.duration(result.duration)),
                TextTable.Cell(result.triggeredBy),
                TextTable.Cell(result.recordsProcessed.map(String.init) ?? ""),
                TextTable.Cell(result.resumedFrom.map { String($0.completed) } ?? ""),
                TextTable.Cell(result.runId.map { String($0.prefix(8)) } ?? ""),
                TextTable.Cell(details),
            ])
        }
        return table.render(style: style)
    }
}
