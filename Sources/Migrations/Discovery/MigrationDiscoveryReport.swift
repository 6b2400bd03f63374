/// What `MigrationDiscoveryPlugin` did when it scanned a target: the files it read, the migrations it
/// found, and what it skipped and why.
///
/// The plugin's generator builds this report at build time and embeds it as static data in the code it
/// generates (`DiscoveredMigrations.report`), so that a registry built from discovered migrations can log
/// it, the counterpart of the seed's debug output for `discoverFrom`:
///
/// ```swift
/// let registry = try MigrationRegistry<AppServices>.discovered(debugLogger: logger)
/// // info: discovery scanned file   discovery.file=Migrations/2025-01-15-import-users.migration.swift
/// // info: discovered migration     migration.name=2025-01-15-import-users migration.type=ImportUsers …
/// // info: discovery skipped file   discovery.file=Legacy.swift discovery.reason=…
/// ```
///
/// Paths are relative to the target's directory and use `/` on every platform.
///
/// ## Topics
///
/// ### Entries
/// - ``FoundMigration``
/// - ``SkippedFile``
/// - ``Warning``
///
/// ### Logging
/// - ``log(to:)``
public struct MigrationDiscoveryReport: Sendable, Hashable {
    /// The file-name pattern that selected the scanned files, such as `*.migration.swift`.
    public var pattern: String

    /// The directory scanned, relative to the target; empty for the whole target.
    public var directory: String

    /// Whether subdirectories of ``directory`` were scanned too.
    public var recursive: Bool

    /// The files that matched ``pattern`` and were scanned, in run order.
    public var scannedFiles: [String]

    /// The migrations found, in run order: by file path, then by line within a file.
    public var found: [FoundMigration]

    /// The files that were not scanned, or that declare migrations that were not discovered, with the reason.
    public var skipped: [SkippedFile]

    /// Problems that did not fail the build, such as a name that is not a string literal.
    public var warnings: [Warning]

    /// Creates a report. Generated code calls this; there is rarely a reason to call it yourself.
    ///
    /// - Parameters:
    ///   - pattern: The file-name pattern.
    ///   - directory: The directory scanned, relative to the target; empty for the whole target.
    ///   - recursive: Whether subdirectories were scanned.
    ///   - scannedFiles: The files scanned, in run order.
    ///   - found: The migrations found, in run order.
    ///   - skipped: What was skipped, and why.
    ///   - warnings: Problems that did not fail the build.
    public init(
        pattern: String,
        directory: String = "",
        recursive: Bool = true,
        scannedFiles: [String] = [],
        found: [FoundMigration] = [],
        skipped: [SkippedFile] = [],
        warnings: [Warning] = []
    ) {
        self.pattern = pattern
        self.directory = directory
        self.recursive = recursive
        self.scannedFiles = scannedFiles
        self.found = found
        self.skipped = skipped
        self.warnings = warnings
    }
}
