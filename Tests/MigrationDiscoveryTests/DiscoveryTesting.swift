@testable import MigrationDiscovery

/// Runs discovery over in-memory files, given as path and text.
func discover(
    _ files: KeyValuePairs<String, String>,
    configuration: DiscoveryConfiguration = DiscoveryConfiguration()
) -> DiscoveryResult {
    MigrationDiscoverer(configuration: configuration).discover(
        files.map { DiscoverySource(path: $0.key, text: $0.value) })
}

/// A migration source with a literal name, running with `App`.
func migrationSource(_ type: String, name: String, extra: String = "") -> String {
    """
    import Migrations

    struct \(type): Migration {
        let name = "\(name)"
        \(extra)
        func up(_ context: MigrationContext<App>) async throws {}
    }
    """
}

extension DiscoveryResult {
    /// The printed diagnostics of one severity.
    func printed(_ severity: DiscoveryDiagnostic.Severity) -> [String] {
        diagnostics.filter { $0.severity == severity }.map(\.description)
    }
}
