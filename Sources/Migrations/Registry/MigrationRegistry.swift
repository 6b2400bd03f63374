public import Logging

/// The application's migrations, in run order.
///
/// Registration order is run order: register migrations oldest first. Names are validated (see
/// ``MigrationName``) and must be unique.
///
/// ```swift
/// var registry = MigrationRegistry<AppServices>(debugLogger: logger)
/// try registry.register(ImportLegacyUsers())
/// try registry.register(MoveTenantSettings())
/// ```
///
/// With a `debugLogger`, every registration is logged at `info` level with its position, the
/// counterpart of the seed's debug flag.
public struct MigrationRegistry<Context: Sendable>: Sendable {
    /// The registered migrations, in run order.
    public private(set) var migrations: [any Migration<Context>] = []
    private var positions: [String: Int] = [:]
    /// The names of the registered sharded migrations, so registering stays linear in the registry's size.
    private var shardedNames: [String] = []
    private let debugLogger: Logger?

    /// Creates an empty registry.
    ///
    /// - Parameter debugLogger: When given, each registration is logged to it.
    public init(debugLogger: Logger? = nil) {
        self.debugLogger = debugLogger
    }

    /// Creates a registry holding `migrations`, in that order.
    ///
    /// - Throws: ``MigrationError`` for an invalid or duplicate name.
    public init(_ migrations: [any Migration<Context>], debugLogger: Logger? = nil) throws(MigrationError) {
        self.init(debugLogger: debugLogger)
        for migration in migrations { try register(migration) }
    }

    /// Adds a migration after those already registered.
    ///
    /// - Throws: ``MigrationError`` with code ``MigrationError/Code-swift.struct/invalidName`` or
    ///   ``MigrationError/Code-swift.struct/duplicateName``.
    public mutating func register(_ migration: any Migration<Context>) throws(MigrationError) {
        let name = migration.name
        try MigrationName.validate(name)
        if let existing = positions[name] {
            throw MigrationError(
                .duplicateName,
                "a migration named '\(name)' is already registered (position \(existing + 1)); "
                    + "every migration needs a unique name",
                migration: name
            )
        }
        try checkSharding(of: migration)
        positions[name] = migrations.count
        migrations.append(migration)
        if migration.sharding != nil {
            shardedNames.append(name)
        }
        debugLogger?.info(
            "registered migration",
            metadata: [
                "migration.name": "\(name)",
                "migration.position": "\(migrations.count)",
                "migration.type": "\(type(of: migration))",
            ]
        )
    }

    /// The names of the registered migrations, in run order.
    public var names: [String] { migrations.map(\.name) }

    /// The number of registered migrations.
    public var count: Int { migrations.count }

    /// The migration registered under `name`, if any.
    public func migration(named name: String) -> (any Migration<Context>)? {
        positions[name].map { migrations[$0] }
    }

    /// Refuses a sharded migration the runner cannot shard (one with state hooks, or a bad count), and
    /// a name that would share storage with a sharded migration's shards (`<name>:shard:<k>`).
    private func checkSharding(of migration: any Migration<Context>) throws(MigrationError) {
        let name = migration.name
        if let sharding = migration.sharding {
            try sharding.validate(for: name)
            if migration.stateHooks != nil {
                throw MigrationError(
                    .invalidConfiguration,
                    "migration '\(name)' is sharded and has state hooks; the runner records each shard in its "
                        + "state store, so a sharded migration cannot replace it with hooks",
                    migration: name)
            }
            // A sharded migration is checked against every name; a plain one only against the sharded ones.
            if let plain = positions.keys.first(where: { $0.hasPrefix(name + ":shard:") }) {
                throw Self.sharingShardStorage(plain: plain, sharded: name)
            }
        }
        if let sharded = shardedNames.first(where: { name.hasPrefix($0 + ":shard:") }) {
            throw Self.sharingShardStorage(plain: name, sharded: sharded)
        }
    }

    private static func sharingShardStorage(plain: String, sharded: String) -> MigrationError {
        MigrationError(
            .invalidName,
            "migration name '\(plain)' would share its stored state with a shard of the sharded "
                + "migration '\(sharded)'; choose a name that does not start with '\(sharded):shard:'",
            migration: plain)
    }

    /// The migration registered under `name`.
    ///
    /// - Throws: ``MigrationError`` with code ``MigrationError/Code-swift.struct/unknownMigration``
    ///   listing the known names.
    public func require(_ name: String) throws(MigrationError) -> any Migration<Context> {
        guard let migration = migration(named: name) else {
            let known = names.isEmpty ? "none registered" : names.map { "'\($0)'" }.joined(separator: ", ")
            throw MigrationError(.unknownMigration, "unknown migration '\(name)'; known: \(known)", migration: name)
        }
        return migration
    }
}
