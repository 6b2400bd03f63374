/// One registered migration, as `<app> migrate list --json` prints it.
///
/// ```json
/// [ { "description" : "Write 5,000 sample customers to customers.csv",
///     "name" : "2025-01-01-write-customers-csv", "position" : 1 } ]
/// ```
public struct MigrationListEntry: Codable, Sendable, Equatable {
    /// The position in run order, from 1.
    public var position: Int
    /// The name.
    public var name: String
    /// The description.
    public var description: String

    /// Creates an entry.
    public init(position: Int, name: String, description: String) {
        self.position = position
        self.name = name
        self.description = description
    }
}
