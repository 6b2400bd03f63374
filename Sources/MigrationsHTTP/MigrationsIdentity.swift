/// An authenticated caller of the migrations endpoints.
///
/// Its ``migrationsActor`` is recorded as `triggeredBy` in every result the caller causes.
public protocol MigrationsIdentity: Sendable {
    /// The name recorded as `triggeredBy`: a user, a service account, a CI job.
    var migrationsActor: String { get }
}

/// A simple identity for an authenticated caller of the endpoints: a name (a user, a token, a job).
public struct MigrationsCaller: MigrationsIdentity, Hashable, Codable {
    /// The operator's name.
    public var name: String

    /// Creates an identity.
    public init(name: String) {
        self.name = name
    }

    /// The operator's name.
    public var migrationsActor: String { name }
}
