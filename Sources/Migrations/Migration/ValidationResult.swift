/// The verdict of a migration's ``Migration/validate(_:)`` step.
///
/// An invalid result stops the migration before ``Migration/up(_:)`` with its message; warnings are
/// logged and returned in the ``MigrationResult`` either way.
///
/// ```swift
/// return .valid(warnings: ["3 tenants have no settings; they will be skipped"])
/// return .invalid("the users table does not exist; run the schema migration first")
/// ```
public struct ValidationResult: Sendable, Equatable, Codable {
    /// Whether the migration may run.
    public var isValid: Bool

    /// Why the migration may not run, when it may not.
    public var message: String?

    /// Things worth knowing that do not stop the migration.
    public var warnings: [String]

    /// Creates a result.
    public init(isValid: Bool, message: String? = nil, warnings: [String] = []) {
        self.isValid = isValid
        self.message = message
        self.warnings = warnings
    }

    /// The migration may run.
    public static let valid = ValidationResult(isValid: true)

    /// The migration may run; the warnings are logged and reported.
    public static func valid(warnings: [String]) -> ValidationResult {
        ValidationResult(isValid: true, warnings: warnings)
    }

    /// The migration may not run, for the reason given.
    public static func invalid(_ message: String, warnings: [String] = []) -> ValidationResult {
        ValidationResult(isValid: false, message: message, warnings: warnings)
    }
}
