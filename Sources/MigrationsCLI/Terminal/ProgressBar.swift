import Foundation
import Migrations

/// One line of progress: `name  [██████░░░░░░]  45.0%  2250/5000  1200.0/s  ETA 2s`, fitted to the terminal
/// where it can be (the console cuts what is still too long).
///
/// Names, holders and failure reasons are escaped with ``VisibleText/escaping(_:)`` here, before any
/// colour is added, so the console can print the lines as they are.
enum ProgressBar {
    /// The fewest and most cells a bar has.
    static let cellRange = 10...30

    /// The live line of a running migration.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - snapshot: Its latest progress; `nil` before the first reading.
    ///   - nameWidth: The width of the name column (the longest name shown).
    ///   - width: The terminal's width; the line is kept shorter.
    ///   - style: Colours for the bar.
    static func line(
        name: String, snapshot: ProgressSnapshot?, nameWidth: Int, width: Int = 80, style: TerminalStyle
    ) -> String {
        let printableName = VisibleText.escaping(name)
        let stats = statistics(snapshot)
        let available = width - 1 - stats.count - 6
        let nameColumn = min(max(nameWidth, printableName.count), max(12, available - cellRange.lowerBound))
        let shownName =
            printableName.count > nameColumn
            ? String(printableName.prefix(nameColumn - 1)) + "…"
            : printableName.padding(toLength: nameColumn, withPad: " ", startingAt: 0)
        let cells = min(cellRange.upperBound, max(cellRange.lowerBound, available - nameColumn))
        return
            "\(shownName)  \(bar(snapshot.flatMap(\.fraction), cells: cells, started: snapshot != nil, style: style))  \(stats)"
    }

    /// The live line of a migration waiting for another holder's lease, instead of an empty bar:
    /// `name  waiting for web-2 pid 4242 (deploy-9), since …, lease TTL 9.5 s left`.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - wait: What it waits for.
    ///   - nameWidth: The width of the name column.
    static func waitingLine(name: String, wait: LeaseWait, nameWidth: Int) -> String {
        let printableName = VisibleText.escaping(name)
        let shownName =
            printableName.count >= nameWidth
            ? printableName : printableName.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        return "\(shownName)  waiting for \(VisibleText.escaping(wait.holderSummary))"
    }

    /// `45.0%  2250/5000  1200.0/s  ETA 2s`, or `2250 done  1200.0/s  3s` without a total.
    static func statistics(_ snapshot: ProgressSnapshot?) -> String {
        guard let snapshot else { return "starting" }
        var parts: [String] = []
        if let fraction = snapshot.fraction {
            parts.append(String(format: "%5.1f%%", fraction * 100))
            parts.append("\(snapshot.completed)/\(snapshot.total)")
        } else {
            parts.append("\(snapshot.completed) done")
        }
        parts.append(String(format: "%.1f/s", snapshot.ratePerSecond))
        if let eta = snapshot.etaSeconds, !snapshot.isFinished {
            parts.append("ETA \(ProgressSnapshot.formatSeconds(eta))")
        } else {
            parts.append(ProgressSnapshot.formatSeconds(snapshot.elapsedSeconds))
        }
        return parts.joined(separator: "  ")
    }

    /// `[██████░░░░░░]`; shaded throughout while the total is unknown, blank before the first reading.
    static func bar(_ fraction: Double?, cells: Int, started: Bool = true, style: TerminalStyle) -> String {
        guard started else { return "[" + String(repeating: " ", count: cells) + "]" }
        guard let fraction else {
            return "[" + style.apply(.cyan, String(repeating: "░", count: cells)) + "]"
        }
        let filled = min(cells, max(0, Int((fraction * Double(cells)).rounded(.down))))
        return "[" + style.apply(.green, String(repeating: "█", count: filled))
            + String(repeating: "░", count: cells - filled) + "]"
    }

    /// The line left behind when a migration finishes: its outcome, items and time.
    ///
    /// - Parameters:
    ///   - name: The migration.
    ///   - snapshot: Its last progress reading, if any.
    ///   - result: Its recorded result, when the store recorded one.
    ///   - style: Colours for the mark.
    ///   - wasWaiting: Whether it was last seen waiting for another holder's lease.
    static func finishedLine(
        name: String, snapshot: ProgressSnapshot?, result: MigrationResult?, wasWaiting: Bool = false,
        style: TerminalStyle
    ) -> String {
        let name = VisibleText.escaping(name)
        var items = ""
        if let snapshot, snapshot.completed > 0 || snapshot.total > 0 {
            let count = result?.status == .completed && snapshot.total > 0 ? snapshot.total : snapshot.completed
            items = "  \(count) items"
        }
        guard let result else {
            if wasWaiting {
                return style.apply(.yellow, "■") + " \(name)  stopped while waiting for the lease; nothing ran"
            }
            let elapsed = snapshot.map { " in " + DisplayFormat.duration($0.elapsedSeconds) } ?? ""
            return style.apply(.dim, "•") + " \(name)  finished\(items)\(elapsed)"
        }
        let duration = DisplayFormat.duration(result.duration)
        switch result.status {
        case .failed:
            let reason = VisibleText.escaping(
                DisplayFormat.shortened(result.error ?? result.failure?.rawValue ?? "failed"))
            return style.apply(.red, "✘") + " \(name)  " + style.apply(.red, "failed") + " after \(duration): \(reason)"
        case .rolledBack:
            return style.apply(.green, "✔") + " \(name)  rolled back in \(duration)"
        default:
            return style.apply(.green, "✔") + " \(name)  \(result.status.rawValue)\(items) in \(duration)"
        }
    }
}
