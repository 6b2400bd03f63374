import Foundation
import Migrations

/// One migration as the dashboard's templates show it: every value already made visible
/// (``Migrations/VisibleText``) and formatted; the templates HTML-escape it as they render.
///
/// The dashboard's JavaScript matches a row to the events stream by ``position`` and reloads the live
/// part of the page when a row's ``rawState`` or ``controlAction`` changed, or its progress moved.
struct DashboardMigrationView: Sendable {
    /// The position in run order, from 1.
    var position: Int
    /// The name, visible.
    var name: String
    /// The migration's page.
    var link: String
    /// The description, visible; empty when there is none.
    var description: String
    var hasDescription: Bool
    /// The state as `status --json` names it (`running`, `paused`…), for the script.
    var rawState: String
    /// The state as shown: also `cancelled` and `rolled-back`, which the stored state folds into others.
    var state: String
    /// The state's word and symbol, so colour is never the only sign of it.
    var stateLabel: String
    var stateSymbol: String
    /// `pause` or `cancel` while an operator's request stands, else empty.
    var controlAction: String
    /// Who asked for it, when and why.
    var control: String
    var hasControl: Bool
    /// When, by whom, how long and how many records, of the last recorded run.
    var lastRun: String
    var hasLastRun: Bool
    /// Host, pid and who triggered the run, while a replica holds it.
    var holder: String
    var hasHolder: Bool
    /// The progress bar: items done, items in all (0 when unknown) and the words beside it.
    var hasProgress: Bool
    var progressValue: Int
    var progressMax: Int
    var hasTotal: Bool
    var percent: String
    var progressText: String
    /// The shards' totals, for a sharded migration.
    var shards: String
    var hasShards: Bool
    /// The last error and how the run failed.
    var error: String
    var failureKind: String
    var hasError: Bool
    /// The actions its state allows, each a link to its confirmation page.
    var actions: [DashboardActionLink]
    var hasActions: Bool

    /// The view of a migration's status.
    ///
    /// - Parameters:
    ///   - status: The migration as the runner reports it.
    ///   - basePath: The dashboard's path, such as `/dashboard`.
    init(_ status: MigrationStatus, basePath: String) {
        position = status.position
        name = VisibleText.escaping(status.name)
        link = basePath + "/migrations/" + Self.pathSegment(status.name)
        description = VisibleText.escaping(status.description)
        hasDescription = !status.description.isEmpty
        rawState = status.state.rawValue
        state = Self.shownState(status)
        stateLabel = Self.label(of: state)
        stateSymbol = Self.symbol(of: state)
        controlAction = status.control?.action.rawValue ?? ""
        control = status.control.map { VisibleText.escaping($0.summary) } ?? ""
        hasControl = status.control != nil
        let latest = [status.lastResult, status.lastFailure].compactMap { $0 }.max { $0.finishedAt < $1.finishedAt }
        lastRun = latest.map(Self.lastRun) ?? ""
        hasLastRun = latest != nil
        holder = status.holder.map { VisibleText.escaping($0.summary) } ?? ""
        hasHolder = status.holder != nil
        (hasProgress, progressValue, progressMax, percent, progressText) = Self.progress(of: status)
        hasTotal = progressMax > 0
        shards = status.shards.map { VisibleText.escaping($0.summary) } ?? ""
        hasShards = status.shards != nil
        error = VisibleText.escaping(status.lastError ?? status.problem ?? "")
        failureKind = status.lastFailure?.failure?.rawValue ?? (status.problem == nil ? "" : "unreadable state")
        hasError = status.lastError != nil || status.problem != nil
        let confirmPath = link + "/confirm/"
        actions = DashboardAction.allCases.filter { $0.isOffered(for: status) }.map {
            DashboardActionLink($0, confirmPath: confirmPath + $0.rawValue)
        }
        hasActions = !actions.isEmpty
    }

    /// The name as one path segment: everything but unreserved ASCII percent-encoded, so `/`, `?`, `#`
    /// and control characters in a name cannot change the path.
    static func pathSegment(_ name: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A failed run that an operator cancelled shows as `cancelled`, a pending migration whose last run
    /// rolled it back as `rolled-back`.
    private static func shownState(_ status: MigrationStatus) -> String {
        if status.state == .failed, status.lastFailure?.failure == .cancelled { return "cancelled" }
        if status.state == .pending, status.lastResult?.status == .rolledBack { return "rolled-back" }
        return status.state.rawValue
    }

    /// `Running`, `Rolled back`: the state's word.
    static func label(of state: String) -> String {
        switch state {
        case "rolled-back": "Rolled back"
        case "pending", "running", "paused", "completed", "failed", "cancelled":
            state.prefix(1).uppercased() + state.dropFirst()
        default: "Unknown"
        }
    }

    /// The symbol beside the state's word and colour.
    static func symbol(of state: String) -> String {
        switch state {
        case "pending": "○"
        case "running": "▶"
        case "paused": "‖"
        case "completed": "✓"
        case "failed": "✗"
        case "cancelled": "■"
        case "rolled-back": "↶"
        default: "?"
        }
    }

    /// `2026-12-03T07:10:04Z by deploy on api-1 pid 42, 1.20 s, 5000 records, completed`.
    private static func lastRun(_ result: MigrationResult) -> String {
        var parts = [
            timestamp(result.finishedAt) + " by " + VisibleText.escaping(result.triggeredBy) + " on "
                + VisibleText.escaping(result.host) + " pid \(result.pid)",
            String(format: "%.2f s", result.duration),
        ]
        if let records = result.recordsProcessed { parts.append("\(records) records") }
        parts.append(result.status.rawValue)
        return parts.joined(separator: ", ")
    }

    private static func progress(of status: MigrationStatus) -> (Bool, Int, Int, String, String) {
        if let shards = status.shards, shards.runningShards > 0 || status.state == .running {
            let total = shards.total ?? 0
            return (
                true, shards.completed, total,
                percent(shards.completed, of: total), VisibleText.escaping(shards.summary)
            )
        }
        guard status.state == .running, let progress = status.progress else { return (false, 0, 0, "", "") }
        return (
            true, progress.completed, progress.total,
            percent(progress.completed, of: progress.total), VisibleText.escaping(progress.summary)
        )
    }

    /// `42.0%`, or empty when the total is unknown.
    static func percent(_ completed: Int, of total: Int) -> String {
        guard total > 0 else { return "" }
        return String(format: "%.1f%%", min(1, Double(completed) / Double(total)) * 100)
    }

    /// `2026-12-03T07:10:04Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

/// A button that leads to an action's confirmation page.
struct DashboardActionLink: Sendable {
    var label: String
    var href: String
    var isDestructive: Bool

    init(_ action: DashboardAction, confirmPath: String) {
        label = action.label
        href = confirmPath
        isDestructive = action.isDestructive
    }
}
