public import ArgumentParser
import Migrations

/// The arguments of `migrate pause|resume|cancel`: the migration, why, who, and the output form.
public struct MigrateControlOptions: ParsableArguments {
    /// The migration.
    @Argument(help: "The migration.")
    public var name: String

    /// Why, recorded with the request.
    @Option(name: .customLong("reason"), help: ArgumentHelp("Why, recorded with the request.", valueName: "text"))
    public var reason: String?

    /// Who asks; the OS user by default.
    @Option(name: .customLong("by"), help: ArgumentHelp("Who asks. (default: the OS user)", valueName: "name"))
    public var by: String?

    /// Print JSON.
    @Flag(name: .customLong("json"), help: "Print what was done as a JSON object.")
    public var json = false

    /// Where state lives, and logging.
    @OptionGroup public var store: MigrateStoreOptions

    /// Creates the options; ArgumentParser does this.
    public init() {}

    /// Opens the backend, runs one request over its store, closes the backend and prints the outcome.
    func perform<App: MigrateApplication>(
        _ app: App.Type,
        _ body: (MigrationControls, String, String) async throws -> MigrationControls.Outcome
    ) async throws {
        let session = try await MigrateSession<App>.start(store, requiring: name)
        defer { session.close() }
        let who = by ?? OperatingSystemUser.name
        let outcome = try await body(MigrationControls(store: session.runner.stateStore), name, who)
        let report = MigrationOperatorActionReport(name: name, outcome)
        try report.write(json: json)
    }
}

/// `migrate pause NAME [--reason TEXT] [--by NAME]`.
public struct MigratePauseCommand<App: MigrateApplication>: AsyncParsableCommand {
    /// `pause`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "pause",
            abstract: "Pause a migration: its holder stops at its next control check; it resumes from its checkpoint.",
            discussion: "\(MigrationsExitCode.migrateHelpText)")
    }

    /// The migration and the request.
    @OptionGroup public var control: MigrateControlOptions

    /// Creates the command; ArgumentParser does this.
    public init() {}

    /// Stores the pause request.
    public mutating func run() async throws {
        try await control.perform(App.self) { controls, name, by in
            try await controls.pause(name, reason: control.reason, by: by)
        }
    }
}

/// `migrate resume NAME`.
public struct MigrateResumeCommand<App: MigrateApplication>: AsyncParsableCommand {
    /// `resume`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "resume", abstract: "Lift a pause: the next run goes on from the checkpoint.",
            discussion: "\(MigrationsExitCode.migrateHelpText)")
    }

    /// The migration.
    @OptionGroup public var control: MigrateControlOptions

    /// Creates the command; ArgumentParser does this.
    public init() {}

    /// Lifts the pause.
    public mutating func run() async throws {
        try await control.perform(App.self) { controls, name, _ in try await controls.resume(name) }
    }
}

/// `migrate cancel NAME [--reason TEXT] [--by NAME]`.
public struct MigrateCancelCommand<App: MigrateApplication>: AsyncParsableCommand {
    /// `cancel`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel a migration: recorded as cancelled, its checkpoint kept for a later run.",
            discussion: "\(MigrationsExitCode.migrateHelpText)")
    }

    /// The migration and the request.
    @OptionGroup public var control: MigrateControlOptions

    /// Creates the command; ArgumentParser does this.
    public init() {}

    /// Stores the cancel request, or records the cancellation of a migration not running.
    public mutating func run() async throws {
        try await control.perform(App.self) { controls, name, by in
            try await controls.cancel(name, reason: control.reason, by: by)
        }
    }
}
