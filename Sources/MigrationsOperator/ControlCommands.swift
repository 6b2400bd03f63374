import ArgumentParser
import Foundation
import Migrations
import MigrationsCLI
import MigrationsRedis

/// The options of `pause`, `resume` and `cancel`: the migration, why, who, and the output form.
struct ControlOptions: ParsableArguments {
    @Argument(help: "The migration.")
    var name: String

    @Option(name: .customLong("reason"), help: ArgumentHelp("Why, recorded with the request.", valueName: "text"))
    var reason: String?

    @Option(
        name: .customLong("by"),
        help: ArgumentHelp("Who asks, recorded with the request. (default: the OS user)", valueName: "name"))
    var by: String?

    @Flag(name: .customLong("json"), help: "Print what was done as a JSON object.")
    var json = false

    /// Checks that something is stored under the name, runs `body` with the shared operations, and prints
    /// what it did.
    func perform(
        _ verb: String, redis: OperatorOptions,
        _ body: (MigrationControls, (reason: String?, by: String)) async throws -> MigrationControls.Outcome
    ) async throws {
        let request = (reason: reason, by: by ?? MigrationRunner<Int>.Configuration.operatingSystemUser)
        let outcome = try await redis.withInspector { inspector, target in
            guard try await inspector.details(of: name).exists else {
                throw MigrationsCommandError(
                    .usage, "no migration '\(name)' is stored \(redis.place(target)); nothing to \(verb)")
            }
            return try await body(
                MigrationControls(store: RedisStateStore(connection: inspector.connection, keys: inspector.keys)),
                request)
        }
        let report = MigrationOperatorActionReport(name: name, outcome)
        try report.write(json: json)
    }
}

/// `migrations pause NAME [--reason TEXT] [--by NAME]`.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a migration: its holder stops at its next control check; it resumes from its checkpoint.",
        discussion: """
            Writes <prefix>:<name>:control. The replica running the migration learns of it with its next \
            lease renewal (a third of the lease TTL: 10 s with the default 30 s), writes its checkpoint, \
            releases the lease and records nothing as failed; a migration not running now does not start \
            its next attempt, and `migrate run` stops at it with exit code 6. `migrations resume` lifts it.

            EXAMPLES:
              migrations pause 2025-04-02-backfill-order-totals --reason "replica lag"
              migrations status

            \(MigrationsExitCode.helpText)
            """
    )

    @OptionGroup var control: ControlOptions
    @OptionGroup var redis: OperatorOptions

    func run() async throws {
        try await control.perform("pause", redis: redis) { controls, request in
            try await controls.pause(control.name, reason: request.reason, by: request.by)
        }
    }
}

/// `migrations resume NAME`.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Lift a pause: the next run of the migration goes on from its checkpoint.",
        discussion: """
            Deletes <prefix>:<name>:control. Exits 1 when the migration is not paused.

            EXAMPLES:
              migrations resume 2025-04-02-backfill-order-totals

            \(MigrationsExitCode.helpText)
            """
    )

    @OptionGroup var control: ControlOptions
    @OptionGroup var redis: OperatorOptions

    func run() async throws {
        try await control.perform("resume", redis: redis) { controls, _ in try await controls.resume(control.name) }
    }
}

/// `migrations cancel NAME [--reason TEXT] [--by NAME]`.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a migration: recorded as cancelled, its checkpoint kept for a later run.",
        discussion: """
            A running migration: writes <prefix>:<name>:control; its holder stops at its next renewal, writes \
            its checkpoint and records the attempt as cancelled, with who and why. A migration not running: \
            records it as cancelled now (its :error and :failure). Either way a later run resumes from the \
            checkpoint unless the migration is reset.

            EXAMPLES:
              migrations cancel 2025-04-02-backfill-order-totals --reason "wrong column"

            \(MigrationsExitCode.helpText)
            """
    )

    @OptionGroup var control: ControlOptions
    @OptionGroup var redis: OperatorOptions

    func run() async throws {
        try await control.perform("cancel", redis: redis) { controls, request in
            try await controls.cancel(control.name, reason: request.reason, by: request.by)
        }
    }
}
