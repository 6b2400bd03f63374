/// Makes text from Redis, from a migration or from the command line safe to show to a person: on a
/// terminal, or on the dashboard's pages (where HTML escaping follows, for `<`, `&` and quotes).
///
/// A key name, a stored error or a lease holder's host can hold anything, and a terminal obeys what it is
/// sent: `ESC [ 2 J` clears the screen, a carriage return lets a line overwrite the one before it, and a
/// right-to-left override (U+202E) makes `txt.exe` read as `exe.txt`. Every unsafe scalar is therefore
/// shown as a Swift-style escape, its code point in uppercase hexadecimal without padding:
///
/// ```swift
/// VisibleText.escaping("esc\u{1B}[31mRED")   // esc\u{1B}[31mRED, the ESC shown as six characters
/// VisibleText.escaping("a\tb\nc")            // a\u{9}b\u{A}c
/// VisibleText.escaping("café 中文 🚀")        // café 中文 🚀, unchanged
/// ```
///
/// The unsafe scalars are the C0 controls U+0000–U+001F (tab, line feed and carriage return included: a
/// field stays on its line), DEL U+007F, the C1 controls U+0080–U+009F (U+009B starts a control sequence
/// on some terminals, like `ESC [`), the bidirectional marks, embeddings, overrides and isolates
/// (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators
/// U+2028 and U+2029. Everything else, accents, scripts and emoji included, is left as it is.
///
/// A backslash is left alone, so a name that already reads `\u{1B}` looks the same as one holding an
/// ESC; the text is never mistaken for a control, which is what matters on a terminal. Because the
/// escapes consist of safe characters only, escaping escaped text changes nothing.
///
/// Escape data before styling it with `TerminalStyle`, never a styled string: the colour escapes our
/// own code adds would be shown escaped too. Output is escaped where it is printed, so callers never
/// remember to: `TextTable` escapes its cells, `ProgressBar` the names and reasons it shows, the console
/// log handler the messages and metadata it writes, `StandardStreams.writeOutputLine(_:)` and
/// `StandardStreams.writeErrorLine(_:)` the lines they write, and `MigrationsCommandLine` its error
/// lines, and the dashboard every value it renders. `--json` output is left exact, since JSON escaping already keeps it safe.
package enum VisibleText {
    /// The text with every unsafe scalar replaced by `\u{HEX}`; line breaks are escaped too.
    ///
    /// - Parameter text: A single field or line, such as a migration name or an error message.
    /// - Returns: Text that is safe to write to a terminal.
    package static func escaping(_ text: some StringProtocol) -> String {
        escaping(text, keepingLineFeeds: false)
    }

    /// The text with every unsafe scalar replaced by `\u{HEX}`, except the line feeds between its lines.
    ///
    /// For text of several lines whose breaks are meant, such as ArgumentParser's error with its usage
    /// lines, or pretty-printed JSON; a carriage return is still escaped.
    ///
    /// - Parameter text: Text of one or more lines separated by `\n`.
    /// - Returns: The lines, each safe to write to a terminal, still separated by `\n`.
    package static func escapingLines(_ text: some StringProtocol) -> String {
        escaping(text, keepingLineFeeds: true)
    }

    /// Whether a scalar must not reach a terminal as it is.
    ///
    /// - Parameter scalar: The scalar to check.
    /// - Returns: `true` for control characters and bidirectional formatting characters.
    package static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: true
        default: false
        }
    }

    /// `\u{1B}` for ESC: the escape a scalar is shown as.
    ///
    /// - Parameter scalar: The scalar to show.
    /// - Returns: `\u{`, the code point in uppercase hexadecimal without padding, and `}`.
    package static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    private static func escaping(_ text: some StringProtocol, keepingLineFeeds: Bool) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) }) else { return String(text) }
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar), !(keepingLineFeeds && scalar == "\n") {
                escaped.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
