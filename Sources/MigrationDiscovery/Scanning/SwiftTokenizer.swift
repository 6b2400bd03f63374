/// Splits Swift source into ``SwiftToken``s, dropping comments and keeping each string literal whole.
///
/// It understands what can hide a declaration-like word: line and (nested) block comments, single- and
/// multi-line string literals, raw strings (`#"…"#`), interpolations with strings of their own
/// (`"a \(f("b")) c"`) and extended regex literals (`#/…/#`). It is not a full Swift lexer: operators
/// come out one character at a time, except `->` and `==`, which is all declaration scanning needs.
///
/// ```swift
/// let tokens = SwiftTokenizer.tokenize(#"let name = "a // not a comment" // a comment"#)
/// // let, name, =, "a // not a comment"
/// ```
package struct SwiftTokenizer {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var lineOfLastToken = 0
    private var tokens: [SwiftToken] = []

    private init(_ source: String) {
        bytes = Array(source.utf8)
    }

    /// Tokenizes `source`.
    ///
    /// - Parameter source: The text of a Swift file.
    /// - Returns: Its tokens, in order. Malformed input (an unterminated string or comment) never fails:
    ///   the rest of the file becomes part of that literal or comment.
    package static func tokenize(_ source: String) -> [SwiftToken] {
        var tokenizer = SwiftTokenizer(source)
        tokenizer.run()
        return tokenizer.tokens
    }

    // MARK: - Main loop

    private mutating func run() {
        while let byte = peek() {
            let start = position
            let startLine = line
            switch byte {
            case ASCII.newline:
                line += 1
                position += 1
            case ASCII.space, ASCII.tab, ASCII.carriageReturn, ASCII.formFeed, ASCII.verticalTab:
                position += 1
            case ASCII.slash where peek(1) == ASCII.slash:
                skipLineComment()
            case ASCII.slash where peek(1) == ASCII.star:
                skipBlockComment()
            case ASCII.quote:
                let value = scanStringLiteral(hashes: 0)
                emit(.stringLiteral(value), from: start, line: startLine)
            case ASCII.hash where rawStringHashes() != nil:
                let hashes = rawStringHashes() ?? 0
                position += hashes
                let value = scanStringLiteral(hashes: hashes)
                emit(.stringLiteral(value), from: start, line: startLine)
            case ASCII.hash where peek(1) == ASCII.slash:
                skipExtendedRegex()
                emit(.punctuation, from: start, line: startLine)
            case ASCII.backtick:
                position += 1
                while let next = peek(), next != ASCII.backtick, next != ASCII.newline { position += 1 }
                if peek() == ASCII.backtick { position += 1 }
                emit(.identifier, from: start, line: startLine)
            case _ where ASCII.isIdentifierHead(byte):
                while let next = peek(), ASCII.isIdentifierBody(next) { position += 1 }
                emit(.identifier, from: start, line: startLine)
            case _ where ASCII.isDigit(byte):
                while let next = peek(), ASCII.isIdentifierBody(next) || isDecimalPoint(next) { position += 1 }
                emit(.number, from: start, line: startLine)
            case ASCII.minus where peek(1) == ASCII.greater, ASCII.equals where peek(1) == ASCII.equals:
                position += 2
                emit(.punctuation, from: start, line: startLine)
            case ASCII.dollar:
                position += 1
                while let next = peek(), ASCII.isIdentifierBody(next) { position += 1 }
                emit(.identifier, from: start, line: startLine)
            default:
                position += 1
                emit(.punctuation, from: start, line: startLine)
            }
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    private func isDecimalPoint(_ byte: UInt8) -> Bool {
        byte == ASCII.dot && peek(1).map(ASCII.isDigit) == true
    }

    private mutating func emit(_ kind: SwiftToken.Kind, from start: Int, line startLine: Int) {
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        tokens.append(SwiftToken(kind: kind, text: text, line: startLine, startsLine: startLine != lineOfLastToken))
        lineOfLastToken = line
    }

    // MARK: - Comments

    private mutating func skipLineComment() {
        while let byte = peek(), byte != ASCII.newline { position += 1 }
    }

    private mutating func skipBlockComment() {
        var depth = 0
        while let byte = peek() {
            if byte == ASCII.slash && peek(1) == ASCII.star {
                depth += 1
                position += 2
            } else if byte == ASCII.star && peek(1) == ASCII.slash {
                depth -= 1
                position += 2
                if depth == 0 { return }
            } else {
                if byte == ASCII.newline { line += 1 }
                position += 1
            }
        }
    }

    private mutating func skipExtendedRegex() {
        position += 2
        while let byte = peek() {
            position += 1
            if byte == ASCII.newline { line += 1 }
            if byte == ASCII.backslash, peek() != nil, peek() != ASCII.newline {
                position += 1
            } else if byte == ASCII.slash && peek() == ASCII.hash {
                position += 1
                return
            }
        }
    }

    // MARK: - String literals

    /// The number of `#` before a `"` at the current position, if this is a raw string's start.
    private func rawStringHashes() -> Int? {
        var count = 0
        while peek(count) == ASCII.hash { count += 1 }
        return peek(count) == ASCII.quote ? count : nil
    }

    /// Scans a string literal whose opening `#`s are consumed and whose opening quote is next.
    ///
    /// - Returns: The literal's value when it is single-line and has no interpolation, `nil` otherwise.
    private mutating func scanStringLiteral(hashes: Int) -> String? {
        let isMultiline = peek() == ASCII.quote && peek(1) == ASCII.quote && peek(2) == ASCII.quote
        position += isMultiline ? 3 : 1
        var value: [UInt8] = []
        var isPlain = !isMultiline
        while let byte = peek() {
            if byte == ASCII.quote && closesString(isMultiline: isMultiline, hashes: hashes) {
                position += (isMultiline ? 3 : 1) + hashes
                return isPlain ? SwiftStringLiteral.decode(value) : nil
            }
            if byte == ASCII.newline {
                line += 1
                if !isMultiline { return nil }  // unterminated: stop at the end of the line
            }
            if byte == ASCII.backslash && escapeHashesMatch(hashes) {
                if peek(1 + hashes) == ASCII.openParen {
                    position += 1 + hashes
                    skipInterpolation()
                    isPlain = false
                    continue
                }
                guard let escaped = peek(1 + hashes) else { return nil }
                value.append(ASCII.backslash)
                value.append(escaped)
                if escaped == ASCII.newline { line += 1 }
                position += 2 + hashes
                continue
            }
            if byte == ASCII.backslash {
                value.append(ASCII.backslash)  // a backslash that is not an escape in a raw string
            }
            value.append(byte)
            position += 1
        }
        return nil
    }

    private func closesString(isMultiline: Bool, hashes: Int) -> Bool {
        let quotes = isMultiline ? 3 : 1
        for offset in 0..<quotes where peek(offset) != ASCII.quote { return false }
        for offset in 0..<hashes where peek(quotes + offset) != ASCII.hash { return false }
        return true
    }

    private func escapeHashesMatch(_ hashes: Int) -> Bool {
        for offset in 0..<hashes where peek(1 + offset) != ASCII.hash { return false }
        return true
    }

    /// Skips `( … )` of an interpolation, with nested parentheses, strings and comments.
    private mutating func skipInterpolation() {
        var depth = 0
        while let byte = peek() {
            switch byte {
            case ASCII.openParen:
                depth += 1
                position += 1
            case ASCII.closeParen:
                depth -= 1
                position += 1
                if depth == 0 { return }
            case ASCII.quote:
                _ = scanStringLiteral(hashes: 0)
            case ASCII.hash where rawStringHashes() != nil:
                let hashes = rawStringHashes() ?? 0
                position += hashes
                _ = scanStringLiteral(hashes: hashes)
            case ASCII.slash where peek(1) == ASCII.slash:
                skipLineComment()
            case ASCII.slash where peek(1) == ASCII.star:
                skipBlockComment()
            case ASCII.newline:
                line += 1
                position += 1
            default:
                position += 1
            }
        }
    }
}
