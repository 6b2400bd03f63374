/// Tokens with their bracket pairs resolved, and the navigation that declaration scanning needs:
/// where a declaration, a type or an expression ends.
package struct SwiftTokenStream: Sendable {
    /// The tokens, in order.
    package let tokens: [SwiftToken]

    /// For each `(`, `[` or `{`, the index of its closing partner; `nil` for other tokens and for an
    /// opener left unclosed.
    private let partners: [Int?]

    /// Tokenizes `source` and pairs its brackets.
    package init(source: String) {
        self.init(tokens: SwiftTokenizer.tokenize(source))
    }

    /// Pairs the brackets of `tokens`.
    package init(tokens: [SwiftToken]) {
        self.tokens = tokens
        var partners = [Int?](repeating: nil, count: tokens.count)
        var open: [(index: Int, closer: String)] = []
        for (index, token) in tokens.enumerated() where token.kind == .punctuation {
            switch token.text {
            case "(": open.append((index, ")"))
            case "[": open.append((index, "]"))
            case "{": open.append((index, "}"))
            case ")", "]", "}":
                // Pop to the matching opener; a stray closer (impossible in valid Swift) is ignored.
                guard let match = open.lastIndex(where: { $0.closer == token.text }) else { continue }
                partners[open[match].index] = index
                open.removeSubrange(match...)
            default:
                continue
            }
        }
        self.partners = partners
    }

    /// The index of the closing partner of the opener at `index`.
    package func partner(of index: Int) -> Int? {
        index < partners.count ? partners[index] : nil
    }

    // MARK: - Declaration boundaries

    /// Words that begin a declaration (or a modifier of one) when they open a line.
    static let declarationStarters: Set<String> = [
        "let", "var", "func", "init", "deinit", "subscript", "struct", "class", "enum", "actor", "protocol",
        "extension", "typealias", "associatedtype", "case", "import", "operator", "precedencegroup", "macro",
        "public", "private", "fileprivate", "internal", "package", "open", "final", "static", "override",
        "required", "convenience", "mutating", "nonmutating", "lazy", "weak", "unowned", "dynamic",
        "nonisolated", "indirect", "optional", "prefix", "postfix", "infix", "distributed",
    ]

    /// Whether the token at `index` opens a line with a new declaration.
    package func startsDeclaration(at index: Int) -> Bool {
        let token = tokens[index]
        guard token.startsLine else { return false }
        switch token.kind {
        case .identifier: return Self.declarationStarters.contains(token.text)
        case .punctuation: return token.text == "@" || token.text == "#"
        default: return false
        }
    }

    /// The index just past the declaration whose remaining tokens start at `start`: the next line that
    /// starts a declaration (which may be `start` itself), a `;`, or `end`. Bracketed groups are skipped
    /// whole.
    package func endOfDeclaration(from start: Int, end: Int) -> Int {
        var index = start
        while index < end {
            if startsDeclaration(at: index) { return index }
            if tokens[index].isSymbol(";") { return index + 1 }
            index = step(over: index)
        }
        return end
    }

    /// The index just past a type that starts at `start`: at the first `=`, `{`, `,` (outside `<…>`),
    /// `;`, or new declaration.
    package func endOfType(from start: Int, end: Int) -> Int {
        var index = start
        var angleDepth = 0
        while index < end {
            let token = tokens[index]
            if startsDeclaration(at: index) { return index }
            if token.kind == .punctuation {
                switch token.text {
                case "<": angleDepth += 1
                case ">": angleDepth = max(0, angleDepth - 1)
                case "=", "{", ";", "==": return index
                case "," where angleDepth == 0: return index
                default: break
                }
            } else if token.isWord("where") {
                return index
            }
            index = step(over: index)
        }
        return end
    }

    /// The index just past an expression that starts at `start`: at a `,` or `;`, or a new declaration.
    package func endOfExpression(from start: Int, end: Int) -> Int {
        var index = start
        while index < end {
            if startsDeclaration(at: index) { return index }
            if tokens[index].isSymbol(",") || tokens[index].isSymbol(";") { return index }
            index = step(over: index)
        }
        return end
    }

    /// The index of the `>` that closes the `<` at `start`, or `nil` when there is none before `end`.
    package func closingAngle(from start: Int, end: Int) -> Int? {
        var depth = 0
        var index = start
        while index < end {
            let token = tokens[index]
            if token.isSymbol("<") {
                depth += 1
            } else if token.isSymbol(">") {
                depth -= 1
                if depth == 0 { return index }
            } else if token.isSymbol("{") || token.isSymbol(";") {
                return nil
            }
            index = token.isSymbol("(") || token.isSymbol("[") ? step(over: index) : index + 1
        }
        return nil
    }

    /// The index after the token at `index`, or after its whole group when it opens one.
    package func step(over index: Int) -> Int {
        if let partner = partner(of: index) { return partner + 1 }
        return index + 1
    }

    /// Splits `range` at the commas outside brackets and `<…>`.
    package func splitAtCommas(_ range: Range<Int>) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var partStart = range.lowerBound
        var angleDepth = 0
        var index = range.lowerBound
        while index < range.upperBound {
            let token = tokens[index]
            if token.isSymbol("<") { angleDepth += 1 }
            if token.isSymbol(">") { angleDepth = max(0, angleDepth - 1) }
            if token.isSymbol(",") && angleDepth == 0 {
                parts.append(partStart..<index)
                partStart = index + 1
            }
            index = step(over: index)
        }
        if partStart < range.upperBound { parts.append(partStart..<range.upperBound) }
        return parts
    }

    // MARK: - Text

    /// The source text of `range`, with spacing normalised: `[String: Int]`, `any Migration<App>`.
    package func text(of range: Range<Int>) -> String {
        var result = ""
        var previous: SwiftToken?
        for token in tokens[range.clamped(to: tokens.indices)] {
            if let previous, needsSpace(between: previous, and: token) { result += " " }
            result += token.text
            previous = token
        }
        return result
    }

    private func needsSpace(between left: SwiftToken, and right: SwiftToken) -> Bool {
        let wordLike: (SwiftToken) -> Bool = { $0.kind != .punctuation }
        if wordLike(left) && wordLike(right) { return true }
        if left.kind == .punctuation && [",", ":", "->", "=", "==", "&"].contains(left.text) { return true }
        if right.kind == .punctuation && ["->", "=", "==", "&"].contains(right.text) { return true }
        return false
    }
}
