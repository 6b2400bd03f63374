import Logging
import Migrations

extension MigrateSession {
    /// Runs migrations with the application's context, progress bars on a terminal and clean
    /// cancellation on `SIGINT`/`SIGTERM`, then prints the results.
    ///
    /// - Parameters:
    ///   - json: Print the results as a JSON array of `MigrationResult` instead of a table.
    ///   - emptyMessage: What to say when nothing ran.
    ///   - body: What to run.
    /// - Throws: ``MigrationsCommandError`` with code ``MigrationsCommandError/Code-swift.struct/failed`` when a
    ///   migration failed, or ``MigrationsCommandError/Code-swift.struct/interrupted`` when one was cancelled,
    ///   after the results are printed; refusals as the runner throws them.
    func execute(
        json: Bool,
        emptyMessage: String,
        _ body: @escaping @Sendable (MigrationRunner<App.Context>, App.Context) async throws -> [MigrationResult]
    ) async throws {
        let runner = self.runner
        let logger = self.logger
        let display = console.map { ProgressDisplay(runner: runner, recorder: recorder, console: $0) }
        let results = try await withContext { context in
            try await SignalCancellation.run(onSignal: { note in logger.warning("\(note)") }) {
                if let display {
                    return try await display.whileRunning { try await body(runner, context) }
                }
                return try await body(runner, context)
            }
        }
        if json {
            try JSONOutput.write(results)
        } else if results.isEmpty {
            StandardStreams.writeOutput("\(emptyMessage) (state: \(storeDescription))\n")
        } else {
            StandardStreams.writeOutput(
                MigrationResultTable.render(results, storeDescription: storeDescription, style: .forStandardOutput()))
        }
        let failures = results.filter(\.isFailure)
        if let cancelled = failures.first(where: { $0.failure == .cancelled && $0.control != nil }) {
            throw MigrationsCommandError(
                .cancelled, "migration '\(cancelled.name)' was \(cancelled.control?.summary ?? "cancelled")")
        }
        if let cancelled = failures.first(where: { $0.failure == .cancelled }) {
            throw MigrationsCommandError(
                .interrupted, "migration '\(cancelled.name)' was cancelled: \(cancelled.error ?? "interrupted")")
        }
        if let paused = results.first(where: { $0.status == .paused }) {
            throw MigrationsCommandError(
                .paused,
                "migration '\(paused.name)' is \(paused.control?.summary ?? "paused"); "
                    + "`migrations resume '\(paused.name)'` lets it go on from its checkpoint")
        }
        if let first = failures.first {
            let message =
                failures.count == 1
                ? "migration '\(first.name)' failed: \(first.error ?? first.failure?.rawValue ?? "unknown error")"
                : "\(failures.count) migrations failed: " + failures.map { "'\($0.name)'" }.joined(separator: ", ")
            throw MigrationsCommandError(.failed, message)
        }
    }
}
