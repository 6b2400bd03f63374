/// Finds the migrations declared in a target's source files, checks at build time what can be checked,
/// and orders them for registration.
///
/// A file is scanned when its path matches the configured pattern (see ``DiscoveryConfiguration``).
/// Each scanned file must declare at least one type that conforms to `Migration` (directly, through an
/// extension, or through a protocol of the target that refines `Migration`), and each such type must be
/// one that generated code can construct with `TypeName()`. Migrations run in the order of their files'
/// paths (see ``SourcePath/runsBefore(_:_:)``), then in declaration order within a file.
///
/// ```swift
/// let result = MigrationDiscoverer(configuration: DiscoveryConfiguration()).discover(sources)
/// for diagnostic in result.diagnostics {
///     print(diagnostic.located(in: "/app/Sources/App"))  // /app/Sources/App/x.migration.swift:3: error: …
/// }
/// ```
package struct MigrationDiscoverer: Sendable {
    /// Which files to scan.
    package var configuration: DiscoveryConfiguration

    /// Creates a discoverer.
    ///
    /// - Parameter configuration: Which files to scan.
    package init(configuration: DiscoveryConfiguration = DiscoveryConfiguration()) {
        self.configuration = configuration
    }

    /// Scans `sources`, every Swift file of the target.
    ///
    /// - Parameter sources: The target's Swift files; those that do not match the pattern are read only
    ///   for protocols that refine `Migration` and for extensions of migration types.
    /// - Returns: The migrations in run order, what was skipped, and the diagnostics to print, with paths
    ///   relative to the target.
    package func discover(_ sources: [DiscoverySource]) -> DiscoveryResult {
        var result = DiscoveryResult(configuration: configuration)
        let ordered = sources.sorted { SourcePath.runsBefore($0.path, $1.path) }
        let declarations = Dictionary(
            ordered.map { ($0.path, SwiftDeclarationParser.parse($0.text)) },
            uniquingKeysWith: { first, _ in first }
        )
        let index = DeclarationIndex(declarations, order: ordered.map(\.path))

        for source in ordered {
            switch selection(of: source.path) {
            case .scanned:
                result.scannedFiles.append(source.path)
                scanFile(source.path, declarations: declarations[source.path] ?? [], index: index, into: &result)
            case .skipped(let reason):
                result.skipped.append(DiscoveryResult.Skip(file: source.path, reason: reason))
            case .ignored:
                for type in declarations[source.path] ?? [] where index.isConcreteMigration(type) {
                    result.skipped.append(
                        DiscoveryResult.Skip(
                            file: source.path,
                            reason: "'\(type.qualifiedName)' conforms to Migration, but the file does not match "
                                + "'\(configuration.pattern)'\(scopeDescription); it is not discovered"
                        )
                    )
                }
            }
        }

        if result.scannedFiles.isEmpty {
            result.diagnostics.append(
                DiscoveryDiagnostic(
                    .warning,
                    file: configuration.directory.isEmpty ? "." : configuration.directory,
                    line: 1,
                    "no file matches '\(configuration.pattern)'\(scopeDescription), so no migration was discovered"
                )
            )
        }
        checkContextTypes(&result)
        checkNames(&result)
        return result
    }

    /// ` under 'Migrations'`, or nothing when the whole target is scanned.
    var scopeDescription: String {
        configuration.directory.isEmpty ? "" : " under '\(configuration.directory)'"
    }

    // MARK: - Selection

    private enum Selection {
        case scanned
        case skipped(String)
        case ignored
    }

    private func selection(of path: String) -> Selection {
        let pattern = PathPattern(configuration.pattern)
        guard let relative = SourcePath.relative(path, to: configuration.directory) else {
            return pattern.matches(path)
                ? .skipped(
                    "matches '\(configuration.pattern)' but is outside the scanned directory "
                        + "'\(configuration.directory)'"
                )
                : .ignored
        }
        guard pattern.matches(relative) else { return .ignored }
        if !configuration.recursive && relative.contains("/") {
            let scanned = configuration.directory.isEmpty ? "the target's directory" : "'\(configuration.directory)'"
            return .skipped(
                "matches '\(configuration.pattern)' but is in a subdirectory of \(scanned) and recursive is false")
        }
        return .scanned
    }
}
