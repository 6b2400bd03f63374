/// Which files of a target `MigrationDiscoveryPlugin` scans for migrations.
///
/// The defaults scan every file of the target whose name matches `*.migration.swift`, in every
/// subdirectory. A target changes them with a `migration-discovery.json` file in its directory; every
/// key is optional:
///
/// ```json
/// { "pattern": "*.migration.swift", "recursive": true, "directory": "Migrations" }
/// ```
package struct DiscoveryConfiguration: Sendable, Hashable {
    /// The name of the configuration file, looked for in the target's directory.
    package static let fileName = "migration-discovery.json"

    /// The default ``pattern``.
    package static let defaultPattern = "*.migration.swift"

    /// The pattern a file must match to be scanned; see ``PathPattern``.
    ///
    /// Without a `/` it is matched against the file's name; with one, against its path relative to
    /// ``directory``.
    package var pattern: String

    /// Whether files in subdirectories of ``directory`` are scanned too.
    package var recursive: Bool

    /// The directory to scan, relative to the target; empty for the whole target.
    package var directory: String

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - pattern: The pattern a file must match to be scanned.
    ///   - recursive: Whether subdirectories are scanned.
    ///   - directory: The directory to scan, relative to the target; empty for the whole target.
    package init(pattern: String = defaultPattern, recursive: Bool = true, directory: String = "") {
        self.pattern = pattern
        self.recursive = recursive
        self.directory = SourcePath.normalized(directory)
    }
}
