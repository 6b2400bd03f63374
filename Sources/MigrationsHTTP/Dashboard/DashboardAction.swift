import Migrations

/// What an operator can do to one migration from the dashboard, each behind a confirmation page.
enum DashboardAction: String, CaseIterable, Sendable {
    case dryRun = "dry-run"
    case run
    case pause
    case resume
    case cancel
    case rollback
    case reset

    /// The button's label.
    var label: String {
        switch self {
        case .dryRun: "Dry run"
        case .run: "Run"
        case .pause: "Pause"
        case .resume: "Resume"
        case .cancel: "Cancel"
        case .rollback: "Roll back"
        case .reset: "Reset"
        }
    }

    /// Whether the action throws recorded state away: its button and confirmation say so.
    var isDestructive: Bool { self == .reset || self == .rollback }

    /// What the confirmation page says the action does.
    var consequence: String {
        switch self {
        case .dryRun:
            "Runs the migration on this replica with dryRun set: it reports what it would do and records nothing."
        case .run:
            "Runs the migration on this replica now, exactly once across the fleet: a replica that holds it "
                + "already is left alone, and a resumable migration continues from its checkpoint."
        case .pause:
            "The replica running it stops at its next checkpoint and keeps the checkpoint; nobody starts it "
                + "again until it is resumed. A migration not running yet does not start."
        case .resume:
            "Lifts the pause, then continues the migration on this replica from its checkpoint, unless a "
                + "replica holds it already."
        case .cancel:
            "The replica running it stops at its next checkpoint and the attempt is recorded as cancelled; "
                + "the checkpoint stays, so a later run resumes from it."
        case .rollback:
            "Runs the migration's down step on this replica and clears its completion marker."
        case .reset:
            "Deletes the completion marker, the last error and the checkpoint: the next run starts the "
                + "migration again from the beginning. History is kept. This cannot be undone."
        }
    }

    /// Whether the dashboard offers the action for a migration in this state.
    ///
    /// - Parameter status: The migration's state as the runner reports it.
    /// - Returns: `false` for actions the state makes pointless, such as resuming what is not paused.
    func isOffered(for status: MigrationStatus) -> Bool {
        let pausing = status.control?.action == .pause
        switch self {
        case .dryRun, .run: return status.state == .pending || status.state == .failed
        case .pause: return (status.state == .running || status.state == .pending) && !pausing
        case .resume: return status.state == .paused || pausing
        case .cancel: return status.state == .running || status.state == .paused
        case .rollback: return status.canRollback && status.state == .completed
        case .reset:
            return status.state != .running
                && (status.state == .completed || status.state == .failed || status.checkpoint != nil)
        }
    }
}
