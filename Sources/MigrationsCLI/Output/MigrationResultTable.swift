package import Migrations

/// The human form of what `run` and `rollback` did: one row per migration attempted, and a summary.
///
/// ```
/// NAME                            RESULT     DURATION  DETAILS
/// 2025-01-01-write-customers-csv  completed     0.21s
/// 2025-01-02-import-customers     completed     0.48s  warning: 12 rows have no e-mail …
///
/// 2 completed (state: files in .migrations)
/// ```
package enum MigrationResultTable {
    /// Renders results with a summary line naming where state lives.
    ///
    /// The table escapes names, errors and warnings for the terminal; the summary line is escaped too, since
    /// the store's description holds a prefix or directory someone typed.
    ///
    /// - Parameters:
    ///   - results: The results, in the order they were recorded.
    ///   - storeDescription: Where state lives: `files in .migrations` or a redacted Redis URL with its prefix.
    ///   - style: Whether colours are written.
    package static func render(_ results: [MigrationResult], storeDescription: String, style: TerminalStyle) -> String {
        var table = TextTable(headers: ["NAME", "RESULT", "DURATION", "DETAILS"])
        table.rightAligned = [2]
        for result in results {
            table.append([
                TextTable.Cell(result.name),
                TextTable.Cell(result.status.rawValue, attribute(for: result.status)),
                TextTable.Cell(DisplayFormat.duration(result.duration)),
                TextTable.Cell(details(of: result), result.isFailure ? .red : nil),
            ])
        }
        let summaryLine = VisibleText.escaping(summary(results) + " (state: \(storeDescription))")
        return table.render(style: style) + "\n" + summaryLine + "\n"
    }

    /// `2 completed, 1 failed`: how many results of each status, in a fixed order.
    package static func summary(_ results: [MigrationResult]) -> String {
        MigrationResult.Status.allCases.compactMap { status in
            let count = results.filter { $0.status == status }.count
            return count == 0 ? nil : "\(count) \(status.rawValue)"
        }.joined(separator: ", ")
    }

    private static func details(of result: MigrationResult) -> String {
        if result.isFailure {
            let kind = result.failure.map { "\($0.rawValue): " } ?? ""
            return DisplayFormat.shortened(kind + (result.error ?? ""), to: 80)
        }
        if result.status == .skipped { return "already completed" }
        if result.status == .paused { return DisplayFormat.shortened(result.control?.summary ?? "paused", to: 80) }
        if result.status == .interrupted { return "stopped at its checkpoint; the next attempt resumes" }
        return result.warnings.map { "warning: " + DisplayFormat.shortened($0, to: 80) }.joined(separator: "; ")
    }

    private static func attribute(for status: MigrationResult.Status) -> TerminalStyle.Attribute? {
        switch status {
        case .completed, .rolledBack: .green
        case .failed: .red
        case .dryRun: .cyan
        case .skipped: .dim
        case .paused, .interrupted: .yellow
        }
    }
}
