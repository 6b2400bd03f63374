import Foundation
import Migrations

/// What the background worker does next, decided from the registry's order and the stored states.
///
/// The rule, in registration order: a completed migration is passed; a migration that must run before
/// serving and has not completed stops the worker there (start-up runs it); a background migration that
/// is paused, held by another process, cancelled by an operator, or failed less than the retry delay ago
/// is waited for (the ones after it may depend on it); the first other background migration is run.
enum BackgroundTurn: Equatable, Sendable {
    /// Run this background migration now.
    case run(String)
    /// Nothing can run until this migration changes, for the reason given.
    case wait(String, reason: String)
    /// Every background migration has completed.
    case finished

    /// Decides the next turn.
    ///
    /// - Parameters:
    ///   - migrations: The registry's migrations, in order.
    ///   - states: Their stored states, by name; a missing one is pending.
    ///   - settled: Migrations with state hooks that the worker already found completed (the store cannot
    ///     say so for them).
    ///   - retryFailuresAfter: How long after a failure the worker tries a failed migration again.
    ///   - now: The current time, compared with the failure's end.
    static func next<Context>(
        in migrations: [any Migration<Context>],
        states: [String: StoredMigrationState],
        settled: Set<String>,
        retryFailuresAfter: Duration,
        now: Date
    ) -> BackgroundTurn {
        func isDone(_ migration: any Migration<Context>) -> Bool {
            (states[migration.name]?.isCompleted ?? false) || settled.contains(migration.name)
        }
        guard let index = migrations.firstIndex(where: { $0.schedule == .inBackground && !isDone($0) }) else {
            return .finished
        }
        // Start-up runs the earlier ones; the store cannot tell whether one with hooks has, so trust it did.
        if let blocking = migrations[..<index].first(where: { !isDone($0) && $0.stateHooks == nil }) {
            return .wait(blocking.name, reason: "it runs before serving and has not completed yet")
        }
        let name = migrations[index].name
        let state = states[name] ?? .pending
        if let control = state.control, control.action == .pause {
            return .wait(name, reason: "it is \(control.summary)")
        }
        if let holder = state.holder {
            return .wait(name, reason: "it is running in \(holder.summary)")
        }
        if state.isFailing, let failure = state.lastFailure {
            if let control = failure.control, control.action == .cancel {
                return .wait(
                    name, reason: "it was \(control.summary); run it (`migrate run '\(name)'`) or reset it")
            }
            let retryAt = failure.finishedAt.addingTimeInterval(retryFailuresAfter.timeInterval)
            if retryAt > now {
                return .wait(
                    name,
                    reason: "it failed (\(failure.error ?? "no message")); it is tried again at "
                        + retryAt.ISO8601Format())
            }
        }
        return .run(name)
    }
}
