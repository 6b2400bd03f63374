import Logging
import Migrations

/// What a `migrate` subcommand works with: the logger, the registry, and (once opened) the runner over
/// the store and lease the options chose.
struct MigrateSession<App: MigrateApplication>: Sendable {
    /// The command's logger.
    let logger: Logger
    /// The runner.
    let runner: MigrationRunner<App.Context>
    /// The store the runner writes through, remembering each result for the progress display.
    let recorder: RecordingStateStore
    /// Where state lives, for messages: `Redis at redis://127.0.0.1:6379 (prefix migration)` or `files at ./.migrations (no REDIS_URL)`.
    let storeDescription: String
    /// The console when standard error is a terminal.
    let console: TerminalConsole?
    private let closeBackend: @Sendable () -> Void

    // MARK: - Opening

    /// Builds the logger for the options: through the console on a terminal (warning by default), else
    /// plain swift-log lines on standard error (info by default).
    static func makeLogger(_ options: MigrateStoreOptions, console: TerminalConsole?) -> Logger {
        let level = options.logLevel.flatMap(Logger.Level.init(rawValue:)) ?? (console == nil ? .info : .notice)
        var logger: Logger
        if let console {
            logger = Logger(label: App.loggerLabel) { _ in ConsoleLogHandler(console: console, logLevel: level) }
        } else {
            logger = Logger(label: App.loggerLabel) { EscapingLogHandler(StreamLogHandler.standardError(label: $0)) }
        }
        logger.logLevel = level
        return logger
    }

    /// The console for standard error when it is a terminal.
    static func makeConsole() -> TerminalConsole? {
        StandardStreams.isTerminal(2) ? TerminalConsole(style: .forStandardError()) : nil
    }

    /// The application's registry; its errors become usage errors (exit code 2).
    static func registry(logger: Logger) throws -> MigrationRegistry<App.Context> {
        do {
            return try App.registry(logger: logger)
        } catch let error as MigrationError {
            throw MigrationsCommandError(
                .usage, "the application's migrations are invalid: \(error.message)", cause: error)
        }
    }

    /// Sets a subcommand up: the console, the logger, the application's registry (checking that `name`,
    /// when given, is registered before anything is opened), then the store, lease and runner.
    static func start(_ options: MigrateStoreOptions, requiring name: String? = nil) async throws -> MigrateSession {
        let console = makeConsole()
        let logger = makeLogger(options, console: console)
        let registry = try registry(logger: logger)
        if let name { _ = try registry.require(name) }
        return try await open(options, registry: registry, logger: logger, console: console)
    }

    /// Opens the backend the options choose (``OpenedBackend``), and a runner over it.
    static func open(
        _ options: MigrateStoreOptions,
        registry: MigrationRegistry<App.Context>,
        logger: Logger,
        console: TerminalConsole?
    ) async throws -> MigrateSession {
        let backend = try await OpenedBackend.open(options, logger: logger)
        let (runner, recorder) = recordingRunner(
            over: backend.backend, registry: registry, logger: logger,
            configuration: .init(
                triggeredBy: options.triggeredBy ?? OperatingSystemUser.name,
                progressInterval: .seconds(1)))
        logger.notice("state: \(backend.description)")
        return MigrateSession(
            logger: logger, runner: runner, recorder: recorder, storeDescription: backend.description,
            console: console, closeBackend: { backend.close() })
    }

    /// A runner over `base` whose store records every result written, for the progress display.
    private static func recordingRunner<Base: MigrationBackend>(
        over base: Base,
        registry: MigrationRegistry<App.Context>,
        logger: Logger,
        configuration: MigrationRunner<App.Context>.Configuration
    ) -> (MigrationRunner<App.Context>, RecordingStateStore) {
        let recording = RecordingBackend(base)
        let runner = MigrationRunner(
            registry: registry, backend: recording, logger: logger, configuration: configuration)
        return (runner, recording.stateStore)
    }

    /// Closes the backend's connections, for commands that need no application context.
    func close() {
        closeBackend()
    }

    // MARK: - Context

    /// Builds the application's context, runs `body` with it, then shuts the context down and closes
    /// the backend, on every path.
    func withContext<Value: Sendable>(_ body: (App.Context) async throws -> Value) async throws -> Value {
        defer { closeBackend() }
        let context: App.Context
        do {
            context = try await App.makeContext(logger: logger)
        } catch {
            throw MigrationsCommandError(
                .failed, "could not build the application context: \(MigrationsCommandError.classify(error).message)")
        }
        do {
            let value = try await body(context)
            await App.shutdown(context, logger: logger)
            return value
        } catch {
            await App.shutdown(context, logger: logger)
            throw error
        }
    }
}
