package import Foundation
package import Migrations

/// The human form of `status`: one aligned row per migration, the state coloured on a terminal.
///
/// ```
/// NAME                            STATE      COMPLETED AT          DURATION  BY      DETAILS
/// 2025-01-01-write-customers-csv  completed  2026-11-29T15:04:05Z     0.21s  deploy
/// 2025-01-02-import-customers     running                                    deploy  api-7f9c pid 4242, since …
/// ```
package enum MigrationStatusTable {
    /// Renders rows, with a `#` column when they carry positions.
    ///
    /// Names, holders and errors go into the cells as they are; ``TextTable`` escapes them for the terminal.
    ///
    /// - Parameters:
    ///   - rows: The rows, in the order to show.
    ///   - style: Whether colours are written.
    ///   - now: The moment of rendering; no column uses it at present.
    package static func render(_ rows: [MigrationStatusRow], style: TerminalStyle, now: Date = Date()) -> String {
        let showPosition = rows.contains { $0.position != nil }
        var table = TextTable(
            headers: (showPosition ? ["#"] : []) + ["NAME", "STATE", "COMPLETED AT", "DURATION", "BY", "DETAILS"])
        table.rightAligned = showPosition ? [0, 4] : [3]
        for row in rows {
            var cells: [TextTable.Cell] = showPosition ? [TextTable.Cell(row.position.map(String.init) ?? "")] : []
            cells += [
                TextTable.Cell(row.name),
                TextTable.Cell(row.state.rawValue, attribute(for: row.state)),
                TextTable.Cell(row.completedAt.map(DisplayFormat.timestamp) ?? ""),
                TextTable.Cell(row.duration.map(DisplayFormat.duration) ?? ""),
                TextTable.Cell(row.triggeredBy ?? ""),
                TextTable.Cell(details(of: row), row.state == .failed ? .red : nil),
            ]
            table.append(cells)
        }
        return table.render(style: style)
    }

    /// The colour of a state.
    package static func attribute(for state: MigrationStatus.State) -> TerminalStyle.Attribute? {
        switch state {
        case .completed: .green
        case .failed: .red
        case .running: .yellow
        case .unknown: .magenta
        case .pending: .dim
        case .paused: .cyan
        }
    }

    /// What the DETAILS column says: the holder and progress while running, the shortened error or problem.
    package static func details(of row: MigrationStatusRow) -> String {
        if let shards = row.shards, row.state != .completed, row.state != .unknown {
            return shardDetails(row, shards)
        }
        switch row.state {
        case .running:
            var parts: [String] = []
            if let holder = row.holder {
                parts.append("\(holder.host) pid \(holder.pid)")
                parts.append("since \(DisplayFormat.timestamp(holder.acquiredAt))")
                if let ttl = holder.ttlMilliseconds { parts.append("TTL \(DisplayFormat.milliseconds(ttl))") }
            } else {
                parts.append("in this process")
            }
            if let progress = row.progress { parts.append(progress.summary) }
            if let control = row.control {
                parts.insert((control.action == .pause ? "pausing…" : "cancelling…") + " (\(control.summary))", at: 0)
            }
            return parts.joined(separator: ", ")
        case .paused:
            return (row.control?.summary ?? "paused") + (resumePoint(of: row).map { "; " + $0 } ?? "")
        case .failed:
            return DisplayFormat.shortened(row.error ?? "") + (resumePoint(of: row).map { "; " + $0 } ?? "")
        case .unknown:
            return DisplayFormat.shortened(row.problem ?? "", to: 80)
        case .completed:
            if row.completedAfterFailures == true, let attempts = row.attempts { return "after \(attempts) attempts" }
            return row.error.map { "last error: " + DisplayFormat.shortened($0) } ?? ""
        case .pending:
            return resumePoint(of: row) ?? ""
        }
    }

    /// A sharded migration's details: its control request, the totals across shards, the holders.
    ///
    /// `12/64 shards done, 3 running; 18.2% (11650/64000), 2300.0/s, ETA 21s; api-1 pid 7 (shards 12, 14), …`
    private static func shardDetails(_ row: MigrationStatusRow, _ shards: MigrationShardsSummary) -> String {
        var parts: [String] = []
        if let control = row.control {
            let verb = row.state == .running ? (control.action == .pause ? "pausing…" : "cancelling…") : ""
            parts.append(verb.isEmpty ? control.summary : "\(verb) (\(control.summary))")
        }
        if row.state == .failed, let error = row.error { parts.append(DisplayFormat.shortened(error)) }
        parts.append(shards.summary)
        var byHolder: [String: [Int]] = [:]
        for shard in shards.shards {
            guard let holder = shard.holder else { continue }
            byHolder["\(holder.host) pid \(holder.pid)", default: []].append(shard.index)
        }
        for (holder, indices) in byHolder.sorted(by: { $0.key < $1.key }) {
            let list = indices.map(String.init).joined(separator: ", ")
            parts.append("\(holder) (shard\(indices.count == 1 ? "" : "s") \(list))")
        }
        return parts.joined(separator: "; ")
    }

    /// `resumes at 38000/200000`, when a checkpoint waits for the next attempt.
    private static func resumePoint(of row: MigrationStatusRow) -> String? {
        guard let checkpoint = row.checkpoint else { return nil }
        let count = checkpoint.total > 0 ? "\(checkpoint.completed)/\(checkpoint.total)" : "\(checkpoint.completed)"
        return "resumes at \(count)"
    }
}
