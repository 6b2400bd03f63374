public import ArgumentParser
import Migrations

/// `migrate run [NAME]`: runs one migration, or every pending one in registration order.
public struct MigrateRunCommand<App: MigrateApplication>: AsyncParsableCommand {
    /// `run`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "run",
            abstract: "Run one migration, or every pending migration in order.",
            discussion: """
                Without NAME, runs every migration that is not completed, stopping at the first failure \
                unless --continue-on-error is given. A migration another replica is running is waited for \
                (up to ten minutes), then skipped if it completed; --no-wait refuses instead (exit 1).

                On a terminal each running migration shows a progress bar with its rate and ETA; otherwise \
                progress is logged on standard error. Ctrl-C stops the running migration cleanly: it is \
                recorded as cancelled and its lease released.

                EXAMPLES:
                  migrate run
                  migrate run --dry-run
                  migrate run <name> --timeout 600
                  migrate run --redis-url redis://cache:6379 --triggered-by deploy-42 --no-wait

                \(MigrationsExitCode.migrateHelpText)
                """
        )
    }

    /// The migration to run; every pending one when omitted.
    @Argument(help: "The migration to run; every pending migration when omitted.")
    public var name: String?

    /// Validate and run with `dryRun == true`, recording nothing.
    @Flag(name: .customLong("dry-run"), help: "Validate and run without writing: migrations read and report only.")
    public var dryRun = false

    /// Cancel a migration that runs longer than this many seconds.
    @Option(
        name: .customLong("timeout"),
        help: ArgumentHelp("Cancel a migration after this many seconds.", valueName: "seconds"))
    public var timeout: Double?

    /// Go on after a failure.
    @Flag(name: .customLong("continue-on-error"), help: "Run the remaining pending migrations after a failure.")
    public var continueOnError = false

    /// Refuse instead of waiting for another replica.
    @Flag(
        name: .customLong("no-wait"), help: "Refuse (exit 1) instead of waiting when another process runs a migration.")
    public var noWait = false

    /// Print results as JSON.
    @Flag(name: .customLong("json"), help: "Print the results as a JSON array.")
    public var json = false

    /// Where state lives, and logging.
    @OptionGroup public var store: MigrateStoreOptions

    /// Creates the command; ArgumentParser does this.
    public init() {}

    /// Checks the timeout.
    public func validate() throws {
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            throw ValidationError("--timeout must be a positive number of seconds, not \(timeout)")
        }
    }

    /// Runs the migrations and prints what happened.
    public mutating func run() async throws {
        let session = try await MigrateSession<App>.start(store, requiring: name)
        let name = self.name
        let options = runOptions
        try await session.execute(
            json: json, emptyMessage: "Nothing to run: every migration is completed"
        ) { runner, context in
            if let name { return [try await runner.run(name, context: context, options: options)] }
            return try await runner.runPending(context: context, options: options)
        }
    }

    private var runOptions: MigrationRunOptions {
        var options = MigrationRunOptions(
            dryRun: dryRun,
            timeout: timeout.map { .milliseconds(Int64(($0 * 1000).rounded())) },
            continueOnError: continueOnError,
            triggeredBy: store.triggeredBy)
        if noWait { options.whenHeldElsewhere = .fail }
        return options
    }
}
