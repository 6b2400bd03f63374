/// What the discoverer found in a target: the migrations to register, and what it has to say.
package struct DiscoveryResult: Sendable, Hashable {
    /// A migration type that will be registered.
    package struct Migration: Sendable, Hashable {
        /// The type, qualified by enclosing types: `ImportUsers`, `Legacy.ImportUsers`.
        package var typeName: String
        /// The name, when it is a string literal.
        package var name: String?
        /// The declaring file, relative to the target.
        package var file: String
        /// The line of the type's declaration.
        package var line: Int
        /// The line of its `name`, or of the type when it has none.
        package var nameLine: Int
        /// The context type as written: `AppServices`; empty when it could not be told (an error).
        package var contextType: String
    }

    /// A file that was not scanned or whose migrations are not discovered, and why.
    package struct Skip: Sendable, Hashable {
        /// The file, relative to the target.
        package var file: String
        /// Why, for a person.
        package var reason: String
    }

    /// The configuration the scan followed.
    package var configuration: DiscoveryConfiguration

    /// The files that matched the pattern, in run order, relative to the target.
    package var scannedFiles: [String] = []

    /// The migrations to register, in run order. While ``hasErrors`` is true it also holds the migrations
    /// that have problems.
    package var migrations: [Migration] = []

    /// What was skipped, and why.
    package var skipped: [Skip] = []

    /// Errors, warnings and notes, in the order found.
    package var diagnostics: [DiscoveryDiagnostic] = []

    /// The context type every migration runs with; `nil` when no migration was found.
    package var contextType: String? { migrations.first { !$0.contextType.isEmpty }?.contextType }

    /// Whether any diagnostic is an error, which must fail the build.
    package var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The warnings, with paths relative to the target, for the generated report.
    package var warnings: [DiscoveryDiagnostic] { diagnostics.filter { $0.severity == .warning } }
}
