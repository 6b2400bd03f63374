public import Logging
public import Migrations

/// What an application supplies to embed the `migrate` command: its migrations and a way to build
/// the context they run with.
///
/// ```swift
/// enum MyMigrations: MigrateApplication {
///     static func registry(logger: Logger) throws -> MigrationRegistry<AppServices> {
///         try MigrationRegistry([ImportLegacyUsers(), MoveTenantSettings()], debugLogger: nil)
///     }
///
///     static func makeContext(logger: Logger) async throws -> AppServices {
///         try await AppServices.connect(logger: logger)
///     }
/// }
/// ```
///
/// Then add ``MigrateCommand`` to the application's commands, or call
/// ``MigrateCommand/runIfRequested(arguments:)`` first thing in `main`.
public protocol MigrateApplication {
    /// The application's own context: database client, storage, cache.
    associatedtype Context: Sendable

    /// The application's migrations, in run order.
    ///
    /// - Parameter logger: The command's logger.
    /// - Throws: What registration throws (a duplicate or invalid name); the command exits with code 2.
    static func registry(logger: Logger) throws -> MigrationRegistry<Context>

    /// Builds the context the migrations run with. Called by `run`, `rollback` and `status`, never by `list`.
    ///
    /// - Parameter logger: The command's logger.
    static func makeContext(logger: Logger) async throws -> Context

    /// Releases what ``makeContext(logger:)`` opened, once the command is done. The default does nothing.
    ///
    /// - Parameters:
    ///   - context: The context built for the command.
    ///   - logger: The command's logger.
    static func shutdown(_ context: Context, logger: Logger) async

    /// The label of the command's logger; `migrate` by default.
    static var loggerLabel: String { get }
}

// MARK: - Defaults

extension MigrateApplication {
    /// Does nothing.
    public static func shutdown(_ context: Context, logger: Logger) async {}

    /// `migrate`.
    public static var loggerLabel: String { "migrate" }
}
