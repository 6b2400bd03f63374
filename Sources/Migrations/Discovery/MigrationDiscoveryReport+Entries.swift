// MARK: - Found migrations

extension MigrationDiscoveryReport {
    /// A migration type that discovery found and registers.
    public struct FoundMigration: Sendable, Hashable {
        /// The Swift type, qualified by its enclosing types: `ImportUsers`, `Legacy.ImportUsers`.
        public var typeName: String

        /// The migration's name when it is a string literal; `nil` when it can only be known at run time.
        public var name: String?

        /// The file that declares the type, relative to the target.
        public var file: String

        /// The line of the type's declaration.
        public var line: Int

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - typeName: The Swift type.
        ///   - name: The literal migration name, if known at build time.
        ///   - file: The declaring file, relative to the target.
        ///   - line: The line of the declaration.
        public init(typeName: String, name: String?, file: String, line: Int) {
            self.typeName = typeName
            self.name = name
            self.file = file
            self.line = line
        }
    }
}

// MARK: - Skipped files

extension MigrationDiscoveryReport {
    /// A file that discovery passed over, and why.
    public struct SkippedFile: Sendable, Hashable {
        /// The file, relative to the target.
        public var file: String

        /// Why it was skipped, written for a person.
        public var reason: String

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - file: The file, relative to the target.
        ///   - reason: Why it was skipped.
        public init(file: String, reason: String) {
            self.file = file
            self.reason = reason
        }
    }
}

// MARK: - Warnings

extension MigrationDiscoveryReport {
    /// A problem found at build time that did not fail the build.
    public struct Warning: Sendable, Hashable {
        /// The file concerned, relative to the target.
        public var file: String

        /// The line concerned.
        public var line: Int

        /// What is wrong and what follows from it.
        public var message: String

        /// Creates a warning.
        ///
        /// - Parameters:
        ///   - file: The file, relative to the target.
        ///   - line: The line concerned.
        ///   - message: What is wrong.
        public init(file: String, line: Int, message: String) {
            self.file = file
            self.line = line
            self.message = message
        }
    }
}
