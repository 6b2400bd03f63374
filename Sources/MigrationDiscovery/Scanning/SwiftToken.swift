/// One token of Swift source, as far as declaration scanning needs it.
///
/// Comments are dropped and every string literal is one token, so nothing inside a comment or a string
/// can be mistaken for a declaration.
package struct SwiftToken: Sendable, Hashable {
    /// What kind of token this is.
    package enum Kind: Sendable, Hashable {
        /// A name or keyword; a backticked name keeps its backticks.
        case identifier
        /// A string literal. The payload is its value when it is a plain single-line literal without
        /// interpolation, and `nil` otherwise.
        case stringLiteral(String?)
        /// A number literal.
        case number
        /// A single punctuation or operator character, or one of `->` and `==`.
        case punctuation
    }

    /// What kind of token this is.
    package var kind: Kind

    /// The token's source text; for a string literal, the whole literal with its quotes.
    package var text: String

    /// The 1-based line the token starts on.
    package var line: Int

    /// Whether the token is the first on its line.
    package var startsLine: Bool

    /// Creates a token.
    package init(kind: Kind, text: String, line: Int, startsLine: Bool) {
        self.kind = kind
        self.text = text
        self.line = line
        self.startsLine = startsLine
    }

    /// Whether this is the identifier or keyword `word` (a backticked name never is a keyword).
    package func isWord(_ word: String) -> Bool {
        kind == .identifier && text == word
    }

    /// Whether this is the punctuation `symbol`.
    package func isSymbol(_ symbol: String) -> Bool {
        kind == .punctuation && text == symbol
    }

    /// Whether this is an identifier or keyword.
    package var isIdentifier: Bool { kind == .identifier }
}
