/// A glob pattern for source files: `*` matches any run of characters but `/`, `**` any run at all,
/// `?` one character but `/`, and `[abc]`, `[a-z]` or `[!abc]` one character of (or not of) a set.
///
/// A pattern without `/` is matched against a file's name; a pattern with one, against its path
/// relative to the scanned directory.
///
/// ```swift
/// PathPattern("*.migration.swift").matches("Migrations/2025-01-15-import-users.migration.swift")  // true
/// PathPattern("2025/**/*.swift").matches("2025/01/import.swift")  // true
/// ```
package struct PathPattern: Sendable, Hashable {
    private let pattern: [Character]
    private let matchesWholePath: Bool

    /// Creates a pattern.
    package init(_ pattern: String) {
        self.pattern = Array(pattern)
        self.matchesWholePath = pattern.contains("/")
    }

    /// Whether the file at `path` (relative to the scanned directory) matches.
    package func matches(_ path: String) -> Bool {
        let subject = matchesWholePath ? path : String(path.split(separator: "/").last ?? "")
        return Self.match(pattern[...], Array(subject)[...])
    }

    private static func match(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        let rest = pattern.dropFirst()
        switch first {
        case "*":
            let crossesDirectories = rest.first == "*"
            let afterStars = crossesDirectories ? rest.dropFirst() : rest
            // `**/` also matches no directory at all.
            if crossesDirectories, afterStars.first == "/", match(afterStars.dropFirst(), text) { return true }
            var remaining = text
            while true {
                if match(afterStars, remaining) { return true }
                guard let next = remaining.first, crossesDirectories || next != "/" else { return false }
                remaining = remaining.dropFirst()
            }
        case "?":
            guard let next = text.first, next != "/" else { return false }
            return match(rest, text.dropFirst())
        case "[":
            guard let close = rest.dropFirst().firstIndex(of: "]"), let next = text.first, next != "/" else {
                return text.first == "[" && match(rest, text.dropFirst())
            }
            var set = rest[rest.startIndex..<close]
            let negated = set.first == "!" || set.first == "^"
            if negated { set = set.dropFirst() }
            return contains(set, next) != negated && match(rest[(close + 1)...], text.dropFirst())
        default:
            return text.first == first && match(rest, text.dropFirst())
        }
    }

    private static func contains(_ set: ArraySlice<Character>, _ character: Character) -> Bool {
        var index = set.startIndex
        while index < set.endIndex {
            let low = set[index]
            if index + 2 < set.endIndex, set[index + 1] == "-" {
                if (low...set[index + 2]).contains(character) { return true }
                index += 3
            } else {
                if low == character { return true }
                index += 1
            }
        }
        return false
    }
}
