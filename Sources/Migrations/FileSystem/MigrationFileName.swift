import Foundation

/// Maps migration names to file names that cannot escape their directory or collide.
///
/// A name made only of ASCII letters, digits, `-`, `_` and `.` (and not starting with `.`) is used as
/// it is, so `2025-01-15-import-users` stays readable on disk. Any other name becomes `~` followed by
/// the unpadded base64url encoding of its UTF-8 bytes: `../x` becomes `~Li4veA`. The two forms cannot
/// collide (a plain name never starts with `~`), and base64url contains no `/`.
enum MigrationFileName {
    /// The file-name stem for a migration name.
    static func stem(for name: String) -> String {
        if isPlain(name) { return name }
        return "~" + base64URL(Array(name.utf8))
    }

    private static func isPlain(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: ".") else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }

    /// Foundation's base64 with the URL-safe alphabet (RFC 4648 §5) and no padding.
    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
