import Foundation

/// The rules a migration name must follow.
///
/// A name is the migration's stable identity: it keys the completion state in every store, so it must
/// never change once a migration has run. Names are checked when a migration is registered:
///
/// - not empty, and not only white space;
/// - at most ``maximumLength`` bytes of UTF-8;
/// - no control characters (U+0000–U+001F, U+007F–U+009F): no NUL, newline or tab.
///
/// - in Unicode normalization form C (precomposed), so that two spellings Swift considers equal
///   (`café` with `é`, or with `e` and a combining accent) cannot key two different records.
///
/// Anything else is allowed, `:`, `/`, `*`, spaces and non-ASCII letters included: every store encodes
/// names so that they cannot collide or escape their namespace. Date-prefixed names such as
/// `2025-01-15-import-legacy-users` keep a readable order.
public enum MigrationName {
    /// The longest name accepted, in bytes of UTF-8.
    public static let maximumLength = 128

    /// Checks a name against the rules.
    ///
    /// - Parameter name: The candidate name.
    /// - Throws: ``MigrationError`` with code ``MigrationError/Code-swift.struct/invalidName`` naming the rule broken.
    public static func validate(_ name: String) throws(MigrationError) {
        if name.allSatisfy(\.isWhitespace) {
            throw MigrationError(.invalidName, "a migration name must not be empty", migration: name)
        }
        let length = name.utf8.count
        if length > maximumLength {
            let shown = String(name.prefix(40)) + "…"
            throw MigrationError(
                .invalidName,
                "migration name '\(shown)' is \(length) bytes long; the maximum is \(maximumLength) bytes of UTF-8",
                migration: shown
            )
        }
        let composed = name.precomposedStringWithCanonicalMapping
        if !name.utf8.elementsEqual(composed.utf8) {
            throw MigrationError(
                .invalidName,
                "migration name '\(name)' is not in Unicode normalization form C (it has decomposed characters); "
                    + "write it precomposed, as '\(composed)', so that every store keys it the same way",
                migration: name
            )
        }
        if let bad = name.unicodeScalars.first(where: isControl) {
            let escaped = name.unicodeScalars.map { isControl($0) ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
                .joined()
            throw MigrationError(
                .invalidName,
                "migration name '\(escaped)' contains the control character U+\(hex4(bad.value)); "
                    + "names may not contain control characters such as NUL, newline or tab",
                migration: escaped
            )
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
