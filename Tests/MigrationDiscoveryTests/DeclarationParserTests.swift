import Testing

@testable import MigrationDiscovery

@Suite("Declaration parser", .timeLimit(.minutes(5)))
struct DeclarationParserTests {
    private func type(_ name: String, in source: String) throws -> SwiftTypeDeclaration {
        try #require(SwiftDeclarationParser.parse(source).first { $0.qualifiedName == name && $0.kind != .extension })
    }

    @Test("a migration's inheritance, name and context are read")
    func readsMigration() throws {
        let migration = try type(
            "ImportUsers",
            in: """
                public struct ImportUsers: Migration, Sendable {
                    let name = "2025-01-15-import-users"
                    func up(_ context: MigrationContext<AppServices>) async throws {}
                    func down(_ context: Migrations.MigrationContext<[String: Int]>) async throws {}
                }
                """
        )
        #expect(migration.kind == .struct)
        #expect(migration.inheritedTypes == ["Migration", "Sendable"])
        #expect(migration.accessLevel == .public)
        #expect(migration.members.nameProperty == SwiftNameProperty(line: 2, literal: "2025-01-15-import-users"))
        #expect(migration.members.migrationContextMentions.map(\.type) == ["AppServices", "[String: Int]"])
        #expect(migration.members.migrationContextMentions.map(\.function) == ["up", "down"])
    }

    @Test(
        "literal names are read from every common spelling",
        arguments: [
            #"let name = "n""#, #"let name: String = "n""#, #"var name: String { "n" }"#,
            #"var name: String { return "n" }"#, #"var name: String { get { "n" } }"#,
            #"public var name: String { "n" }"#,
        ]
    )
    func literalNameSpellings(declaration: String) throws {
        let migration = try type("M", in: "struct M: Migration {\n    \(declaration)\n}")
        #expect(migration.members.nameProperty?.literal == "n")
    }

    @Test(
        "computed or interpolated names are not literals",
        arguments: [
            #"let name = "a-\(1)""#, #"let name = "a" + "b""#, #"var name: String { prefix + "x" }"#,
            #"var name: String { String(describing: Self.self) }"#, "let name: String",
        ]
    )
    func nonLiteralNames(declaration: String) throws {
        let migration = try type("M", in: "struct M: Migration {\n    \(declaration)\n}")
        #expect(migration.members.nameProperty != nil)
        #expect(migration.members.nameProperty?.literal == nil)
    }

    @Test("a static name is not the migration's name")
    func staticNameIsIgnored() throws {
        let migration = try type("M", in: #"struct M: Migration { static let name = "x" }"#)
        #expect(migration.members.nameProperty == nil)
    }

    @Test("stored properties know whether they have a default value")
    func storedProperties() throws {
        let migration = try type(
            "M",
            in: """
                struct M: Migration {
                    let a: Int
                    let b = 1, c: String
                    var d: Int?
                    let e: Int?
                    var f: Optional<Int>
                    lazy var g: Int = 1
                    @Wrapped var h: Int
                    var i: Int { 1 }
                    var j: Int = 0 { didSet {} }
                    var k: Int { didSet {} }
                    static var l: Int
                    let cache = Dictionary<String, Int>()
                    var (m, n): (Int, Int)
                }
                """
        )
        let defaults = Dictionary(
            uniqueKeysWithValues: migration.members.storedProperties.map { ($0.name, $0.hasDefaultValue) })
        #expect(
            defaults == [
                "a": false, "b": true, "c": false, "d": true, "e": false, "f": true, "g": true, "h": true,
                "j": true, "k": false, "cache": true, "m": false, "n": false,
            ]
        )
    }

    @Test("initializers record their parameters and effects")
    func initializers() throws {
        let migration = try type(
            "M",
            in: """
                struct M: Migration {
                    init(database: Database, retries: Int = 3) {}
                    init(limit: Int = 10) {}
                    private init() {}
                    init?(failing: Void = ()) {}
                    init(loading: Bool = true) async throws {}
                }
                """
        )
        let inits = migration.members.initializers
        #expect(inits.map(\.isCallableWithoutArguments) == [false, true, true, true, true])
        #expect(inits[0].signature == "init(database:retries:)")
        #expect(inits[2].accessLevel == .private)
        #expect(inits[3].isFailable)
        #expect(inits[4].isThrowing && inits[4].isAsync)
    }

    @Test("nested types, extensions and their access levels are qualified")
    func nestingAndAccess() throws {
        let source = """
            enum Legacy {
                struct Import: Migration {}
                private enum Hidden { struct Inner: Migration {} }
            }
            private extension Legacy {
                struct FromExtension: Migration {}
            }
            struct Box<Value> { struct Item: Migration {} }
            fileprivate struct Local: Migration {}
            """
        #expect(try type("Legacy.Import", in: source).accessLevel == nil)
        #expect(try type("Legacy.Hidden.Inner", in: source).accessLevel == .private)
        #expect(try type("Legacy.FromExtension", in: source).accessLevel == .private)
        #expect(try type("Box.Item", in: source).isGeneric)
        #expect(try type("Box", in: source).genericParameters == "<Value>")
        #expect(try type("Local", in: source).accessLevel == .fileprivate)
    }

    @Test("types declared inside functions or closures are not reported")
    func localTypesAreIgnored() {
        let declarations = SwiftDeclarationParser.parse(
            """
            struct Outer: Migration {
                func up(_ context: MigrationContext<App>) async throws {
                    struct Local: Migration {}
                }
                let factory = { struct InClosure {} }
            }
            """
        )
        #expect(declarations.map(\.qualifiedName) == ["Outer"])
    }

    @Test("protocols and extensions keep their where clause and inheritance")
    func protocolsAndExtensions() {
        let declarations = SwiftDeclarationParser.parse(
            """
            protocol AppMigration: Migration where Context == AppServices {}
            extension Backfill: Migration, @unchecked Sendable {
                typealias Context = AppServices
            }
            class Base {}
            final class Derived: Base, AppMigration { class func make() {} }
            """
        )
        #expect(declarations.map(\.kind) == [.protocol, .extension, .class, .class])
        #expect(declarations[0].whereContextType == "AppServices")
        #expect(declarations[1].qualifiedName == "Backfill")
        #expect(declarations[1].members.contextTypeAlias == "AppServices")
        #expect(declarations[3].inheritedTypes == ["Base", "AppMigration"])
    }

    @Test("attributes, #if blocks and modifiers do not hide declarations")
    func attributesAndDirectives() throws {
        let migration = try type(
            "M",
            in: """
                @available(macOS 15, *)
                struct M: Migration {
                    #if DEBUG
                    let extra = 1
                    #endif
                    @MainActor(unsafe) nonisolated(unsafe) var a: Int = 1
                    public private(set) var b: Int
                    let name = "m"
                }
                """
        )
        #expect(migration.members.storedProperties.map(\.name) == ["extra", "a", "b", "name"])
        #expect(migration.members.nameProperty?.literal == "m")
    }
}
