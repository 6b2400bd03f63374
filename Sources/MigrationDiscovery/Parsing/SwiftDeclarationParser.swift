/// Finds the type, protocol and extension declarations in a Swift file, with what discovery needs to
/// know about their members.
///
/// It walks the tokens of ``SwiftTokenStream`` (so comments and string literals are already out of the
/// way) and descends into type and extension bodies only; function, initializer and accessor bodies
/// are skipped whole, so a type declared inside a function is never reported.
///
/// ```swift
/// let declarations = SwiftDeclarationParser.parse("""
///     struct ImportUsers: Migration {
///         let name = "2025-01-15-import-users"
///         func up(_ context: MigrationContext<AppServices>) async throws {}
///     }
///     """)
/// // declarations[0].qualifiedName == "ImportUsers"
/// // declarations[0].members.nameProperty?.literal == "2025-01-15-import-users"
/// ```
package struct SwiftDeclarationParser {
    let stream: SwiftTokenStream
    private var declarations: [SwiftTypeDeclaration] = []

    private init(stream: SwiftTokenStream) {
        self.stream = stream
    }

    /// Parses the declarations of a Swift file.
    ///
    /// - Parameter source: The file's text.
    /// - Returns: Every type, protocol and extension declaration, nested ones included, in source order.
    package static func parse(_ source: String) -> [SwiftTypeDeclaration] {
        parse(SwiftTokenStream(source: source))
    }

    /// Parses the declarations of an already tokenized file.
    package static func parse(_ stream: SwiftTokenStream) -> [SwiftTypeDeclaration] {
        var parser = SwiftDeclarationParser(stream: stream)
        _ = parser.parseDeclarations(in: 0..<stream.tokens.count, scope: Scope())
        return parser.declarations.sorted { $0.line < $1.line }
    }

    var tokens: [SwiftToken] { stream.tokens }

    // MARK: - Scopes and modifiers

    /// The declaration a body belongs to.
    struct Scope {
        /// The qualified name of the enclosing type, `nil` at file level.
        var qualifiedName: String?
        /// The most restrictive access level of the enclosing types.
        var accessLevel: AccessLevel?
        /// Whether an enclosing type is generic.
        var isGeneric = false
        /// The access level written on an enclosing extension, the default for its members.
        var defaultMemberAccess: AccessLevel?
    }

    /// The modifiers and attributes written before a declaration.
    struct Modifiers {
        var accessLevel: AccessLevel?
        var isStatic = false
        var isLazy = false
        var hasAttribute = false
    }

    private static let ignoredModifiers: Set<String> = [
        "final", "override", "required", "convenience", "mutating", "nonmutating", "weak", "unowned", "dynamic",
        "nonisolated", "indirect", "optional", "prefix", "postfix", "infix", "distributed", "consuming", "borrowing",
    ]

    private static let typeKeywords: [String: SwiftTypeDeclaration.Kind] = [
        "struct": .struct, "class": .class, "enum": .enum, "actor": .actor, "protocol": .protocol,
        "extension": .extension,
    ]

    private static let skippedDeclarations: Set<String> = [
        "deinit", "subscript", "case", "import", "associatedtype", "operator", "precedencegroup", "macro",
    ]

    // MARK: - Declarations

    /// Parses the declarations in `range`, recording nested types, and summarises the members found.
    mutating func parseDeclarations(in range: Range<Int>, scope: Scope) -> SwiftMemberSummary {
        var summary = SwiftMemberSummary()
        var modifiers = Modifiers()
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let token = tokens[index]
            guard token.isIdentifier else {
                if token.isSymbol("@") {
                    index = skipAttribute(at: index, end: end)
                    modifiers.hasAttribute = true
                } else if token.isSymbol("#") {
                    index = skipCompilerDirective(at: index, end: end)
                } else {
                    index = stream.step(over: index)
                    modifiers = Modifiers()
                }
                continue
            }
            let word = token.text
            if let accessLevel = AccessLevel(keyword: word) {
                index = skipSetterAccess(after: index, end: end)
                modifiers.accessLevel = accessLevel
            } else if word == "static" || (word == "class" && isModifier(classAt: index, end: end)) {
                modifiers.isStatic = true
                index += 1
            } else if word == "lazy" {
                modifiers.isLazy = true
                index += 1
            } else if Self.ignoredModifiers.contains(word) {
                index += 1
                if index < end, tokens[index].isSymbol("("), !tokens[index].startsLine {
                    index = stream.step(over: index)  // unowned(unsafe), nonisolated(unsafe)
                }
            } else if let kind = Self.typeKeywords[word] {
                index = parseType(kind, at: index, end: end, modifiers: modifiers, scope: scope)
                modifiers = Modifiers()
            } else {
                let access = modifiers.accessLevel ?? scope.defaultMemberAccess
                switch word {
                case "func":
                    index = parseFunction(at: index, end: end, into: &summary)
                case "init":
                    index = parseInitializer(at: index, end: end, accessLevel: access, into: &summary)
                case "var", "let":
                    index = parseProperty(at: index, end: end, modifiers: modifiers, into: &summary)
                case "typealias":
                    index = parseTypeAlias(at: index, end: end, into: &summary)
                case _ where Self.skippedDeclarations.contains(word):
                    index = stream.endOfDeclaration(from: index + 1, end: end)
                default:
                    index += 1  // a statement at file level, such as in main.swift
                }
                modifiers = Modifiers()
            }
        }
        return summary
    }

    /// Whether `class` at `index` is a modifier (`class func`, `class var`) rather than a declaration.
    private func isModifier(classAt index: Int, end: Int) -> Bool {
        guard index + 1 < end else { return false }
        let next = tokens[index + 1]
        return next.isIdentifier
            && (["func", "var", "let", "subscript", "typealias", "init"].contains(next.text)
                || Self.ignoredModifiers.contains(next.text) || AccessLevel(keyword: next.text) != nil)
    }

    /// Skips `(set)` after an access keyword: `private(set)` limits the setter, not the declaration.
    private func skipSetterAccess(after index: Int, end: Int) -> Int {
        let next = index + 1
        guard next < end, tokens[next].isSymbol("("), !tokens[next].startsLine else { return next }
        return stream.step(over: next)
    }

    /// Skips `@Name`, `@Module.Name` and its arguments when they follow on the same line.
    private func skipAttribute(at index: Int, end: Int) -> Int {
        var cursor = index + 1
        while cursor < end, tokens[cursor].isIdentifier {
            cursor += 1
            guard cursor + 1 < end, tokens[cursor].isSymbol("."), tokens[cursor + 1].isIdentifier else { break }
            cursor += 1
        }
        if cursor < end, tokens[cursor].isSymbol("("), !tokens[cursor].startsLine {
            cursor = stream.step(over: cursor)
        }
        return cursor
    }

    /// Skips `#if CONDITION`, `#else`, `#endif` and freestanding macros such as `#warning("…")`.
    ///
    /// Declarations in every branch of an `#if` are read, as if every condition held.
    private func skipCompilerDirective(at index: Int, end: Int) -> Int {
        var cursor = index + 1
        guard cursor < end, tokens[cursor].isIdentifier else { return cursor }
        let directive = tokens[cursor].text
        let line = tokens[cursor].line
        cursor += 1
        if directive == "if" || directive == "elseif" {
            while cursor < end, tokens[cursor].line == line { cursor = stream.step(over: cursor) }
        } else if cursor < end, tokens[cursor].isSymbol("("), !tokens[cursor].startsLine {
            cursor = stream.step(over: cursor)
        }
        return cursor
    }

    // MARK: - Types

    /// Parses a type, protocol or extension declaration and its body.
    private mutating func parseType(
        _ kind: SwiftTypeDeclaration.Kind,
        at index: Int,
        end: Int,
        modifiers: Modifiers,
        scope: Scope
    ) -> Int {
        let line = tokens[index].line
        var cursor = index + 1
        guard cursor < end, tokens[cursor].isIdentifier else { return cursor }

        var name = tokens[cursor].text
        cursor += 1
        if kind == .extension {
            while cursor + 1 < end, tokens[cursor].isSymbol("."), tokens[cursor + 1].isIdentifier {
                name += "." + tokens[cursor + 1].text
                cursor += 2
            }
        }

        var genericParameters: String?
        if cursor < end, tokens[cursor].isSymbol("<"), let close = stream.closingAngle(from: cursor, end: end) {
            genericParameters = stream.text(of: cursor..<(close + 1))
            cursor = close + 1
        }

        var inheritedTypes: [String] = []
        if cursor < end, tokens[cursor].isSymbol(":") {
            let clauseEnd = endOfInheritanceClause(from: cursor + 1, end: end)
            inheritedTypes = stream.splitAtCommas((cursor + 1)..<clauseEnd).map { stream.text(of: $0) }
            cursor = clauseEnd
        }

        var whereContextType: String?
        if cursor < end, tokens[cursor].isWord("where") {
            let clauseEnd = endOfInheritanceClause(from: cursor + 1, end: end)
            whereContextType = contextType(inWhereClause: (cursor + 1)..<clauseEnd)
            cursor = clauseEnd
        }

        guard cursor < end, tokens[cursor].isSymbol("{"), let close = stream.partner(of: cursor) else {
            return stream.endOfDeclaration(from: cursor, end: end)
        }

        let isExtension = kind == .extension
        let qualifiedName = isExtension ? name : scope.qualifiedName.map { "\($0).\(name)" } ?? name
        let ownAccess = modifiers.accessLevel ?? scope.defaultMemberAccess
        let accessLevel = [ownAccess, scope.accessLevel].compactMap { $0 }.min()
        let isGeneric = !isExtension && (scope.isGeneric || (genericParameters != nil && kind != .protocol))
        let bodyScope = Scope(
            qualifiedName: qualifiedName,
            accessLevel: isExtension ? nil : accessLevel,
            isGeneric: isGeneric,
            defaultMemberAccess: isExtension ? modifiers.accessLevel : nil
        )
        let members = parseDeclarations(in: (cursor + 1)..<close, scope: bodyScope)
        declarations.append(
            SwiftTypeDeclaration(
                kind: kind,
                qualifiedName: qualifiedName,
                line: line,
                accessLevel: isExtension ? modifiers.accessLevel : accessLevel,
                isGeneric: isGeneric,
                genericParameters: kind == .protocol ? nil : genericParameters,
                inheritedTypes: inheritedTypes,
                whereContextType: whereContextType,
                members: members
            )
        )
        return close + 1
    }

    /// The index of the `{` or `where` that ends an inheritance clause or `where` clause.
    private func endOfInheritanceClause(from start: Int, end: Int) -> Int {
        var index = start
        while index < end, !tokens[index].isSymbol("{"), !tokens[index].isWord("where") {
            if tokens[index].isSymbol(";") { return index }
            index = tokens[index].isSymbol("(") || tokens[index].isSymbol("[") ? stream.step(over: index) : index + 1
        }
        return index
    }

    /// The type `T` in a `where` clause requirement `Context == T` or `Self.Context == T`.
    private func contextType(inWhereClause range: Range<Int>) -> String? {
        for requirement in stream.splitAtCommas(range) {
            guard let equals = requirement.first(where: { tokens[$0].isSymbol("==") }) else { continue }
            let left = stream.text(of: requirement.lowerBound..<equals)
            if left == "Context" || left == "Self.Context" {
                return stream.text(of: (equals + 1)..<requirement.upperBound)
            }
        }
        return nil
    }
}
