import Testing

@testable import MigrationDiscovery

@Suite("Tokenizer", .timeLimit(.minutes(5)))
struct TokenizerTests {
    private func words(_ source: String) -> [String] {
        SwiftTokenizer.tokenize(source).filter(\.isIdentifier).map(\.text)
    }

    private func literals(_ source: String) -> [String?] {
        SwiftTokenizer.tokenize(source).compactMap { token -> String?? in
            guard case .stringLiteral(let value) = token.kind else { return nil }
            return .some(value)
        }
    }

    @Test("comments hide declarations, nested block comments included")
    func commentsHideDeclarations() {
        let source = """
            // struct A: Migration {}
            /* struct B: Migration { /* nested */ struct C {} */
            /// struct D: Migration
            let kept = 1
            """
        #expect(words(source) == ["let", "kept"])
    }

    @Test("string literals hide braces and declarations")
    func stringsHideDeclarations() {
        let source = #"""
            let a = "struct X: Migration { // not a comment"
            let b = #"raw "quoted" } \(not interpolated)"#
            let c = """
                struct Y: Migration {
                }
                """
            let d = #/struct Z {/#
            """#
        #expect(words(source) == ["let", "a", "let", "b", "let", "c", "let", "d"])
        #expect(!SwiftTokenizer.tokenize(source).contains { $0.isSymbol("{") || $0.isSymbol("}") })
    }

    @Test("interpolations may hold strings, parentheses and comments of their own")
    func nestedInterpolation() {
        let source = #"""
            let s = "a \(f("b) }", g(")")) /* ) */) c"
            struct After {}
            """#
        #expect(words(source) == ["let", "s", "struct", "After"])
        #expect(literals(source) == [nil])
    }

    @Test("plain literals are decoded; interpolated and multi-line ones are not")
    func literalValues() {
        let source = ##"""
            "plain" "tab\there" "quote\"s" "\u{1F600}" #"raw\n"# #"raw \#(x)"# "x\(y)" """
            multi
            """
            """##
        #expect(literals(source) == ["plain", "tab\there", "quote\"s", "\u{1F600}", "raw\\n", nil, nil, nil])
    }

    @Test("line numbers count the lines inside comments and multi-line strings")
    func lineNumbers() {
        let source = """
            /*
             two
            */
            let a = \"""
                x
                \"""
            struct B {}
            """
        let tokens = SwiftTokenizer.tokenize(source)
        #expect(tokens.first { $0.isWord("let") }?.line == 4)
        #expect(tokens.first { $0.isWord("struct") }?.line == 7)
        #expect(tokens.first { $0.isWord("struct") }?.startsLine == true)
        #expect(tokens.first { $0.isWord("B") }?.startsLine == false)
    }

    @Test("an unterminated string or comment ends the file without a crash")
    func unterminatedInput() {
        #expect(words("let a = \"open\nstruct B {}") == ["let", "a", "struct", "B"])
        #expect(words("let a = 1 /* open") == ["let", "a"])
    }
}
