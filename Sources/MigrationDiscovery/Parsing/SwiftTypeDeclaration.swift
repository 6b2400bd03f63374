/// A type, extension or protocol declaration found in a Swift file.
package struct SwiftTypeDeclaration: Sendable, Hashable {
    /// The kind of declaration.
    package enum Kind: String, Sendable, Hashable {
        case `struct`
        case `class`
        case `enum`
        case `actor`
        case `protocol`
        case `extension`
    }

    /// The kind of declaration.
    package var kind: Kind

    /// The declared name qualified by its enclosing types (`Legacy.ImportUsers`); for an extension,
    /// the extended type as written.
    package var qualifiedName: String

    /// The line of the declaring keyword.
    package var line: Int

    /// The declared access level, or the enclosing declaration's when it is more restrictive;
    /// `nil` when nothing was written.
    package var accessLevel: AccessLevel?

    /// Whether the type, or a type it is nested in, has generic parameters.
    package var isGeneric: Bool

    /// The generic parameter clause as written, such as `<Store>`, if the type itself has one.
    package var genericParameters: String?

    /// The types in the inheritance clause, as written: `Migration`, `Migrations.Migration`, `Sendable`.
    package var inheritedTypes: [String]

    /// For a protocol or extension, the type on the right of `Context == …` in its `where` clause.
    package var whereContextType: String?

    /// What the body declares.
    package var members: SwiftMemberSummary
}
