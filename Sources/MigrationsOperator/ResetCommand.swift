import ArgumentParser
import Foundation
import Migrations
import MigrationsCLI
import MigrationsRedis

/// `migrations reset NAME [--keep-checkpoint] [--yes]`: clears a migration's completion marker, error
/// and checkpoint so it runs again.
struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Clear a migration's completion marker, last error and checkpoint, so it runs again.",
        discussion: """
            Deletes <prefix>:<name>:completed, :error, :failure and :checkpoint; the stored result stays as \
            history. The next `migrate run` of the application runs the migration again, from the beginning; \
            with --keep-checkpoint it resumes from the checkpoint instead. Asks for confirmation on a \
            terminal; without a terminal, pass --yes (otherwise exit 2). Exits 1 when there is nothing to \
            reset.

            EXAMPLES:
              migrations reset 2025-01-03-build-country-index
              migrations reset 2025-01-03-build-country-index --yes --redis-url redis://cache:6379
              migrations reset 2026-11-20-backfill-order-totals --keep-checkpoint

            \(MigrationsExitCode.helpText)
            """
    )

    @Argument(help: "The migration to reset.")
    var name: String

    @Flag(name: [.customLong("yes"), .customShort("y")], help: "Do not ask for confirmation.")
    var yes = false

    @Flag(name: .customLong("keep-checkpoint"), help: "Keep the checkpoint, so the next run resumes from it.")
    var keepCheckpoint = false

    @Flag(name: .customLong("json"), help: "Print what was done as a JSON object.")
    var json = false

    @OptionGroup var redis: OperatorOptions

    func run() async throws {
        let report = try await redis.withInspector { inspector, target in
            let details = try await inspector.details(of: name)
            let resettable =
                keepCheckpoint ? ["completed", "error", "failure"] : ["completed", "error", "failure", "checkpoint"]
            let present = details.keys.filter { resettable.contains($0.suffix) && $0.exists }.map(\.key)
            guard !present.isEmpty else {
                let what = keepCheckpoint ? "completion marker or error" : "completion marker, error or checkpoint"
                throw MigrationsCommandError(
                    .refused, "migration '\(name)' has no \(what) \(redis.place(target)); nothing to reset")
            }
            if !yes {
                guard ConfirmationPrompt.isInteractive else {
                    throw MigrationsCommandError(
                        .usage,
                        "refusing to reset '\(name)' without confirmation: standard input is not a terminal; pass --yes"
                    )
                }
                guard
                    ConfirmationPrompt.confirm(
                        "Reset '\(name)'? It runs again on the next `migrate run`. Deletes \(present.joined(separator: ", "))."
                    )
                else {
                    throw MigrationsCommandError(.refused, "not reset: not confirmed")
                }
            }
            if let lease = details.lease, !json {
                StandardStreams.writeErrorLine(
                    "note: '\(name)' is running now (held by \(lease.holder.host) pid \(lease.holder.pid)); "
                        + "it will be marked completed again if that run succeeds")
            }
            let cleared = try await inspector.reset(name, keepingCheckpoint: keepCheckpoint)
            return MigrationOperatorActionReport(
                name: name, action: cleared.isEmpty ? .none : .reset, clearedKeys: cleared,
                message: cleared.isEmpty
                    ? "nothing was reset: the keys were deleted meanwhile"
                    : "reset '\(name)': deleted \(cleared.joined(separator: ", ")); it runs again with the next `migrate run`"
            )
        }
        try report.write(json: json)
    }
}
