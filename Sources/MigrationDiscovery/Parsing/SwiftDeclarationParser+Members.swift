// MARK: - Functions

extension SwiftDeclarationParser {
    /// Parses `func name…(…) … { … }`, noting any `MigrationContext<…>` in its signature.
    mutating func parseFunction(at index: Int, end: Int, into summary: inout SwiftMemberSummary) -> Int {
        let nameIndex = index + 1
        guard nameIndex < end else { return end }
        let name = tokens[nameIndex].text
        var cursor = nameIndex + 1
        while cursor < end, !tokens[cursor].isSymbol("{") {
            if cursor > nameIndex && stream.startsDeclaration(at: cursor) { return cursor }  // a requirement
            if tokens[cursor].isSymbol(";") { return cursor + 1 }
            cursor = stream.step(over: cursor)
        }
        for mention in migrationContextArguments(in: nameIndex..<cursor) {
            summary.migrationContextMentions.append(SwiftContextMention(function: name, type: mention))
        }
        return cursor < end ? stream.step(over: cursor) : end
    }

    /// The type arguments of every `MigrationContext<…>` (or `Migrations.MigrationContext<…>`) in `range`.
    private func migrationContextArguments(in range: Range<Int>) -> [String] {
        var arguments: [String] = []
        for index in range where tokens[index].isWord("MigrationContext") && index + 1 < range.upperBound {
            guard tokens[index + 1].isSymbol("<"),
                let close = stream.closingAngle(from: index + 1, end: range.upperBound)
            else { continue }
            arguments.append(stream.text(of: (index + 2)..<close))
        }
        return arguments
    }

    // MARK: - Initializers

    /// Parses `init`, `init?` or `init!` with its parameters, effects and body.
    mutating func parseInitializer(
        at index: Int,
        end: Int,
        accessLevel: AccessLevel?,
        into summary: inout SwiftMemberSummary
    ) -> Int {
        var cursor = index + 1
        var isFailable = false
        if cursor < end, tokens[cursor].isSymbol("?") || tokens[cursor].isSymbol("!") {
            isFailable = true
            cursor += 1
        }
        if cursor < end, tokens[cursor].isSymbol("<"), let close = stream.closingAngle(from: cursor, end: end) {
            cursor = close + 1
        }
        guard cursor < end, tokens[cursor].isSymbol("("), let closeParen = stream.partner(of: cursor) else {
            return stream.endOfDeclaration(from: cursor, end: end)
        }
        let parameters = stream.splitAtCommas((cursor + 1)..<closeParen)
        cursor = closeParen + 1
        var isThrowing = false
        var isAsync = false
        while cursor < end, !tokens[cursor].isSymbol("{") {
            if stream.startsDeclaration(at: cursor) || tokens[cursor].isSymbol(";") { break }
            if tokens[cursor].isWord("throws") || tokens[cursor].isWord("rethrows") { isThrowing = true }
            if tokens[cursor].isWord("async") { isAsync = true }
            cursor = stream.step(over: cursor)
        }
        summary.initializers.append(
            SwiftInitializer(
                line: tokens[index].line,
                parameters: parameters.map { stream.text(of: $0) },
                isCallableWithoutArguments: parameters.allSatisfy(hasDefaultValue),
                accessLevel: accessLevel,
                isFailable: isFailable,
                isThrowing: isThrowing,
                isAsync: isAsync
            )
        )
        guard cursor < end, tokens[cursor].isSymbol("{") else { return cursor }
        return stream.step(over: cursor)
    }

    /// Whether a parameter has `= default`, outside any brackets.
    private func hasDefaultValue(_ parameter: Range<Int>) -> Bool {
        var index = parameter.lowerBound
        while index < parameter.upperBound {
            if tokens[index].isSymbol("=") { return true }
            index = stream.step(over: index)
        }
        return false
    }

    // MARK: - Type aliases

    /// Parses `typealias Name = Type`, noting `typealias Context = …`.
    mutating func parseTypeAlias(at index: Int, end: Int, into summary: inout SwiftMemberSummary) -> Int {
        let nameIndex = index + 1
        guard nameIndex + 1 < end, tokens[nameIndex].isIdentifier, tokens[nameIndex + 1].isSymbol("=") else {
            return stream.endOfDeclaration(from: nameIndex, end: end)
        }
        let typeEnd = stream.endOfType(from: nameIndex + 2, end: end)
        if tokens[nameIndex].text == "Context" {
            summary.contextTypeAlias = stream.text(of: (nameIndex + 2)..<typeEnd)
        }
        return typeEnd
    }
}

// MARK: - Properties

extension SwiftDeclarationParser {
    /// Parses `let`/`var` with one or more bindings: `let a = 1, b: Int`, `var name: String { "…" }`.
    mutating func parseProperty(
        at index: Int,
        end: Int,
        modifiers: Modifiers,
        into summary: inout SwiftMemberSummary
    ) -> Int {
        let isLet = tokens[index].isWord("let")
        var cursor = index + 1
        while cursor < end {
            let line = tokens[cursor].line
            var names: [String] = []
            if tokens[cursor].isSymbol("("), let close = stream.partner(of: cursor) {
                names = tokens[(cursor + 1)..<close].filter { $0.isIdentifier && $0.text != "_" }.map(\.text)
                cursor = close + 1
            } else if tokens[cursor].isIdentifier {
                names = [tokens[cursor].text]
                cursor += 1
            } else {
                return stream.endOfDeclaration(from: cursor, end: end)
            }

            var isOptional = false
            if cursor < end, tokens[cursor].isSymbol(":") {
                let typeEnd = stream.endOfType(from: cursor + 1, end: end)
                isOptional = isOptionalType((cursor + 1)..<typeEnd)
                cursor = typeEnd
            }

            var hasInitializer = false
            var literal: String?
            if cursor < end, tokens[cursor].isSymbol("=") {
                hasInitializer = true
                let expressionEnd = stream.endOfExpression(from: cursor + 1, end: end)
                literal = stringLiteral(in: (cursor + 1)..<expressionEnd)
                cursor = expressionEnd
            }

            var isComputed = false
            if !hasInitializer, cursor < end, tokens[cursor].isSymbol("{"), let close = stream.partner(of: cursor) {
                let body = (cursor + 1)..<close
                let isObserved = body.first.map { tokens[$0].isWord("willSet") || tokens[$0].isWord("didSet") }
                isComputed = isObserved != true
                literal = isComputed ? returnedLiteral(in: body) : nil
                cursor = close + 1
            }

            if !modifiers.isStatic {
                if names == ["name"] {
                    // Declared twice (in two `#if` branches, say): the build cannot tell which one holds.
                    let known = summary.nameProperty == nil ? literal : nil
                    summary.nameProperty = SwiftNameProperty(line: line, literal: known)
                }
                if !isComputed {
                    let hasDefault =
                        hasInitializer || modifiers.isLazy || modifiers.hasAttribute || (!isLet && isOptional)
                    for name in names {
                        summary.storedProperties.append(
                            SwiftStoredProperty(name: name, line: line, hasDefaultValue: hasDefault)
                        )
                    }
                }
            }

            // Another binding follows a comma only when it looks like one: `, b: Int` or `, b = 2`.
            guard cursor + 2 < end, tokens[cursor].isSymbol(","), tokens[cursor + 1].isIdentifier,
                tokens[cursor + 2].isSymbol(":") || tokens[cursor + 2].isSymbol("=")
            else { break }
            cursor += 1
        }
        return stream.endOfDeclaration(from: cursor, end: end)
    }

    /// Whether a type annotation is optional: `T?`, `T!` or `Optional<T>`.
    private func isOptionalType(_ range: Range<Int>) -> Bool {
        guard let first = range.first, let last = range.last else { return false }
        return tokens[last].isSymbol("?") || tokens[last].isSymbol("!") || tokens[first].isWord("Optional")
    }

    /// The value of `range` when it is exactly one plain string literal.
    private func stringLiteral(in range: Range<Int>) -> String? {
        guard range.count == 1, case .stringLiteral(let value) = tokens[range.lowerBound].kind else { return nil }
        return value
    }

    /// The literal a getter returns: `{ "…" }`, `{ return "…" }`, `{ get { "…" } }`.
    private func returnedLiteral(in body: Range<Int>) -> String? {
        if let value = stringLiteral(in: body) { return value }
        if body.count == 2, tokens[body.lowerBound].isWord("return") {
            return stringLiteral(in: (body.lowerBound + 1)..<body.upperBound)
        }
        if body.count >= 3, tokens[body.lowerBound].isWord("get"), tokens[body.lowerBound + 1].isSymbol("{"),
            let close = stream.partner(of: body.lowerBound + 1), close + 1 == body.upperBound
        {
            return returnedLiteral(in: (body.lowerBound + 2)..<close)
        }
        return nil
    }
}
