/// A problem discovery found in a source file, printed the way compilers print theirs:
/// `path:line: error: message`, so build logs and editors point at the file.
package struct DiscoveryDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    package enum Severity: String, Sendable, Hashable {
        /// Fails the build.
        case error
        /// Reported; the build goes on.
        case warning
        /// Adds context to the diagnostic before it.
        case note
    }

    /// How serious it is.
    package var severity: Severity

    /// The file concerned: relative to the target as the discoverer reports it, absolute once
    /// ``located(in:)`` has placed it.
    package var file: String

    /// The 1-based line.
    package var line: Int

    /// What is wrong and how to fix it.
    package var message: String

    /// Creates a diagnostic.
    package init(_ severity: Severity, file: String, line: Int, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.message = message
    }

    /// The same diagnostic with its file placed inside `directory`, so that editors and terminals can
    /// open it.
    package func located(in directory: String) -> DiscoveryDiagnostic {
        guard !directory.isEmpty, !file.hasPrefix("/") else { return self }
        var located = self
        located.file = file == "." ? directory : "\(directory)/\(file)"
        return located
    }

    /// `path:line: severity: message`.
    package var description: String {
        "\(file):\(line): \(severity.rawValue): \(message)"
    }
}
