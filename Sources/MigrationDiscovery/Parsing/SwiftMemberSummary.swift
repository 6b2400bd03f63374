/// What discovery needs to know about the members of a type or extension body.
package struct SwiftMemberSummary: Sendable, Hashable {
    /// The initializers declared in the body.
    package var initializers: [SwiftInitializer] = []

    /// The instance stored properties declared in the body.
    package var storedProperties: [SwiftStoredProperty] = []

    /// The instance property `name`, if the body declares one.
    package var nameProperty: SwiftNameProperty?

    /// The right-hand side of `typealias Context = …`, if the body declares it.
    package var contextTypeAlias: String?

    /// Each `MigrationContext<…>` written in a function signature, in source order.
    package var migrationContextMentions: [SwiftContextMention] = []

    /// Creates an empty summary.
    package init() {}
}

/// A `MigrationContext<…>` written in a function signature, such as `func up(_ context: MigrationContext<App>)`.
package struct SwiftContextMention: Sendable, Hashable {
    /// The function's name: `up`, `down`, `validate`.
    package var function: String
    /// The type argument as written: `App`.
    package var type: String
}

/// An `init` declaration.
package struct SwiftInitializer: Sendable, Hashable {
    /// The line of the `init` keyword.
    package var line: Int
    /// The parameters' source text, such as `database: Database`.
    package var parameters: [String]
    /// Whether every parameter has a default value (true when there are none).
    package var isCallableWithoutArguments: Bool
    /// The declared access level, if any.
    package var accessLevel: AccessLevel?
    /// `init?` or `init!`.
    package var isFailable: Bool
    /// Whether it `throws` or `rethrows`.
    package var isThrowing: Bool
    /// Whether it is `async`.
    package var isAsync: Bool

    /// The declaration as a person would write it: `init(database:)`.
    package var signature: String {
        let labels = parameters.map { parameter -> String in
            let label = parameter.split(separator: ":", maxSplits: 1).first.map(String.init) ?? parameter
            let words = label.split(separator: " ")
            return "\(words.first.map(String.init) ?? "_"):"
        }
        return "init(\(labels.joined()))"
    }
}

/// An instance stored property.
package struct SwiftStoredProperty: Sendable, Hashable {
    /// The property's name.
    package var name: String
    /// The line it is declared on.
    package var line: Int
    /// Whether it gets a value without an initializer: it has `= value`, or is an optional `var`, or
    /// is `lazy` or wrapped by a property wrapper.
    package var hasDefaultValue: Bool
}

/// How a type declares its `name`.
package struct SwiftNameProperty: Sendable, Hashable {
    /// The line it is declared on.
    package var line: Int
    /// The name, when it is a string literal (`let name = "…"` or `var name: String { "…" }`).
    package var literal: String?
}
