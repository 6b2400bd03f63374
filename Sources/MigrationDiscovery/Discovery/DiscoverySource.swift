/// One Swift source file of the target, as the discoverer reads it.
package struct DiscoverySource: Sendable, Hashable {
    /// The path relative to the target's directory, `/`-separated.
    package var path: String

    /// The file's text.
    package var text: String

    /// Creates a source.
    ///
    /// - Parameters:
    ///   - path: The path relative to the target's directory.
    ///   - text: The file's text.
    package init(path: String, text: String) {
        self.path = SourcePath.normalized(path)
        self.text = text
    }
}
