import Foundation
import Migrations

/// A migration's own page: its row, checkpoint, shards, history and stored keys.
struct DashboardDetailView: Sendable {
    var migration: DashboardMigrationView
    /// The checkpoint the next attempt resumes from, as JSON, visible.
    var checkpoint: String
    var hasCheckpoint: Bool
    var shards: [Shard]
    var hasShardRows: Bool
    var history: [Attempt]
    var hasHistory: Bool
    var keys: [Key]
    var hasKeys: Bool
    /// Why the keys are not shown, when the application gave the dashboard no way to read them.
    var keysUnavailable: String

    /// One shard of a sharded migration.
    struct Shard: Sendable {
        var index: Int
        var stateLabel: String
        var stateSymbol: String
        var state: String
        var who: String
        var hasProgress: Bool
        var progressValue: Int
        var progressMax: Int
        var hasTotal: Bool
        var percent: String
        var items: String
        var error: String
        var hasError: Bool
    }

    /// One recorded attempt, newest first.
    struct Attempt: Sendable {
        var finishedAt: String
        var status: String
        var failure: String
        var by: String
        var place: String
        var duration: String
        var records: String
        var error: String
        var hasError: Bool
    }

    /// One stored key and what it holds.
    struct Key: Sendable {
        var name: String
        var type: String
        var value: String
        var ttl: String
    }

    init(
        _ status: MigrationStatus, history: [MigrationResult], keys: [MigrationsDashboardKey]?, basePath: String
    ) {
        migration = DashboardMigrationView(status, basePath: basePath)
        let checkpointJSON = status.checkpoint.flatMap { try? MigrationJSON.encode($0) }
        checkpoint = checkpointJSON.map { VisibleText.escapingLines(String(decoding: $0, as: UTF8.self)) } ?? ""
        hasCheckpoint = checkpointJSON != nil
        shards = (status.shards?.shards ?? []).map(Self.shard)
        hasShardRows = !shards.isEmpty
        self.history = history.map(Self.attempt)
        hasHistory = !history.isEmpty
        self.keys = (keys ?? []).map {
            Key(
                name: VisibleText.escaping($0.name), type: VisibleText.escaping($0.type),
                value: VisibleText.escapingLines(Self.capped($0.value ?? "")),
                ttl: $0.ttlMilliseconds.map { "\($0) ms" } ?? "")
        }
        hasKeys = !self.keys.isEmpty
        keysUnavailable =
            keys == nil ? "This service's dashboard was not given a way to read the stored keys." : ""
    }

    /// Long values (a result with many warnings) are cut at 4,000 characters.
    private static func capped(_ text: String) -> String {
        text.count > 4000 ? String(text.prefix(4000)) + "…(truncated)" : text
    }

    private static func shard(_ shard: MigrationShardStatus) -> Shard {
        let state = shard.state.rawValue
        let view = DashboardMigrationView.self
        let who =
            shard.holder.map { "held by " + VisibleText.escaping($0.summary) }
            ?? shard.completedBy.map { "completed by " + VisibleText.escaping($0) } ?? ""
        let total = shard.total ?? 0
        return Shard(
            index: shard.index, stateLabel: view.label(of: state),
            stateSymbol: view.symbol(of: state), state: state, who: who,
            hasProgress: total > 0 || shard.completed > 0,
            progressValue: shard.completed,
            progressMax: total, hasTotal: total > 0, percent: view.percent(shard.completed, of: total),
            items: total > 0 ? "\(shard.completed)/\(total)" : "\(shard.completed)",
            error: VisibleText.escaping(shard.error ?? ""), hasError: shard.error != nil)
    }

    private static func attempt(_ result: MigrationResult) -> Attempt {
        Attempt(
            finishedAt: DashboardMigrationView.timestamp(result.finishedAt), status: result.status.rawValue,
            failure: result.failure?.rawValue ?? "", by: VisibleText.escaping(result.triggeredBy),
            place: VisibleText.escaping(result.host) + " pid \(result.pid)",
            duration: String(format: "%.2f s", result.duration),
            records: result.recordsProcessed.map(String.init) ?? "",
            error: VisibleText.escaping(result.error ?? ""), hasError: result.error != nil)
    }
}

/// A key the state store keeps for a migration, as the dashboard's migration page lists it.
///
/// The application supplies them (``MigrationsDashboard/Configuration/storedKeys``): with Redis, from
/// `RedisMigrationInspector.details(of:)`.
public struct MigrationsDashboardKey: Sendable, Equatable {
    /// The key's name, such as `migration:2025-04-02-backfill-order-totals:checkpoint`.
    public var name: String
    /// Its type (`string`, `list`…).
    public var type: String
    /// What it holds, as text, when it is a string.
    public var value: String?
    /// The time it has left to live, when it expires.
    public var ttlMilliseconds: Int64?

    /// Creates a key's description.
    ///
    /// - Parameters:
    ///   - name: The key's name.
    ///   - type: Its type.
    ///   - value: What it holds, as text.
    ///   - ttlMilliseconds: The time it has left to live.
    public init(name: String, type: String, value: String?, ttlMilliseconds: Int64?) {
        self.name = name
        self.type = type
        self.value = value
        self.ttlMilliseconds = ttlMilliseconds
    }
}
