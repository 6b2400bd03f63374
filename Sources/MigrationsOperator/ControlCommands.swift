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

    func request(_ action: MigrationControl.Action) -> MigrationControl {
        MigrationControl(
            action, reason: reason, by: by ?? MigrationRunner<Int>.Configuration.operatingSystemUser)
    }

    func print(_ report: MigrationOperatorActionReport) throws {
        if json {
            try JSONOutput.write(report)
        } else {
            StandardStreams.writeOutputLine(report.message.prefix(1).uppercased() + report.message.dropFirst() + ".")
        }
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
        let report = try await redis.withInspector { inspector, target in
            let details = try await inspector.details(of: control.name)
            guard details.exists else {
                throw MigrationsCommandError(
                    .usage, "no migration '\(control.name)' is stored \(redis.place(target)); nothing to pause")
            }
            guard !details.state.isCompleted else {
                throw MigrationsCommandError(.refused, "migration '\(control.name)' is completed; nothing to pause")
            }
            let request = control.request(.pause)
            try await RedisStateStore(connection: inspector.connection, keys: inspector.keys)
                .requestControl(request, of: control.name)
            let message =
                details.lease.map {
                    "asked \($0.holder.host) pid \($0.holder.pid) to pause '\(control.name)'; it stops at its next "
                        + "renewal, within a third of its lease TTL"
                } ?? "paused '\(control.name)': its next attempt will not start until `migrations resume`"
            return MigrationOperatorActionReport(
                name: control.name, action: .paused, holder: details.lease?.holder, message: message)
        }
        try control.print(report)
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
        let report = try await redis.withInspector { inspector, target in
            let store = RedisStateStore(connection: inspector.connection, keys: inspector.keys)
            guard let current = try await store.control(of: control.name), current.action == .pause else {
                throw MigrationsCommandError(
                    .refused, "migration '\(control.name)' is not paused \(redis.place(target)); nothing to resume")
            }
            guard try await store.clearControl(of: control.name, expecting: current) != nil else {
                throw MigrationsCommandError(
                    .refused, "the request of '\(control.name)' changed meanwhile; look again with `migrations show`")
            }
            return MigrationOperatorActionReport(
                name: control.name, action: .resumed, clearedKeys: [inspector.keys.control(control.name)],
                message: "resumed '\(control.name)' (it was \(current.summary)); the next run goes on from its checkpoint")
        }
        try control.print(report)
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
        let report = try await redis.withInspector { inspector, target in
            let details = try await inspector.details(of: control.name)
            guard details.exists else {
                throw MigrationsCommandError(
                    .usage, "no migration '\(control.name)' is stored \(redis.place(target)); nothing to cancel")
            }
            guard !details.state.isCompleted else {
                throw MigrationsCommandError(.refused, "migration '\(control.name)' is completed; nothing to cancel")
            }
            let store = RedisStateStore(connection: inspector.connection, keys: inspector.keys)
            let request = control.request(.cancel)
            if let lease = details.lease {
                try await store.requestControl(request, of: control.name)
                return MigrationOperatorActionReport(
                    name: control.name, action: .cancelled, holder: lease.holder,
                    message: "asked \(lease.holder.host) pid \(lease.holder.pid) to cancel '\(control.name)'; it "
                        + "stops at its next renewal, within a third of its lease TTL")
            }
            let now = Date()
            var record = MigrationResult(
                name: control.name, status: .failed, failure: .cancelled, startedAt: now, finishedAt: now,
                error: request.summary, triggeredBy: request.by, host: HostIdentity.current.host,
                pid: HostIdentity.current.pid, attempts: details.state.attemptsSoFar)
            record.control = request
            _ = try await store.markFailed(record, fence: nil)
            // A pause no longer applies to a cancelled migration.
            try await store.clearControl(of: control.name, expecting: nil)
            return MigrationOperatorActionReport(
                name: control.name, action: .cancelled,
                message: "recorded '\(control.name)' as \(request.summary)"
                    + (details.state.checkpoint == nil ? "" : "; its checkpoint is kept for a later run"))
        }
        try control.print(report)
    }
}
