/// Paths of source files relative to their target, `/`-separated, and the order discovery runs them in.
package enum SourcePath {
    /// `path` without `./`, empty components or a trailing `/`.
    package static func normalized(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(separator: "/")
    }

    /// Whether `left` runs before `right`: component by component, each compared byte by byte in UTF-8.
    ///
    /// Byte order does not depend on the locale, so every machine generates the same order; file names
    /// that start with a date (`2025-01-15-…`) therefore run in date order, and a directory's files stay
    /// together.
    package static func runsBefore(_ left: String, _ right: String) -> Bool {
        let leftParts = left.split(separator: "/")
        let rightParts = right.split(separator: "/")
        for (leftPart, rightPart) in zip(leftParts, rightParts) where leftPart != rightPart {
            return leftPart.utf8.lexicographicallyPrecedes(rightPart.utf8)
        }
        return leftParts.count < rightParts.count
    }

    /// `path` relative to `directory`, or `nil` when it is not inside it. An empty directory is the target.
    package static func relative(_ path: String, to directory: String) -> String? {
        guard !directory.isEmpty else { return path }
        guard path.hasPrefix(directory + "/") else { return nil }
        return String(path.dropFirst(directory.count + 1))
    }
}
