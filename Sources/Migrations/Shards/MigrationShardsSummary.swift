import Foundation

/// Every shard of a sharded migration and their totals: how many are done and running, and the items
/// done, the rate and the ETA across the fleet.
public struct MigrationShardsSummary: Sendable, Codable, Equatable {
    /// How many shards the migration has.
    public var count: Int
    /// Shards completed.
    public var completedShards: Int
    /// Shards held by a process now.
    public var runningShards: Int
    /// Shards whose last attempt failed.
    public var failedShards: Int
    /// Items done across all shards.
    public var completed: Int
    /// Items in all shards: the sum of the known shard totals, and for shards not started yet the mean
    /// of the known ones; `nil` until one is known.
    public var total: Int?
    /// Items per second across the running shards.
    public var ratePerSecond: Double
    /// Seconds until all items are done at that rate, when the total and a rate are known.
    public var etaSeconds: Double?
    /// Every shard, in order.
    public var shards: [MigrationShardStatus]

    /// Sums up the shards' stored states.
    ///
    /// - Parameters:
    ///   - states: The state of every shard, in order.
    ///   - migrationCompleted: Whether the migration itself is completed.
    public init(states: [StoredMigrationState], migrationCompleted: Bool) {
        shards = states.enumerated().map {
            MigrationShardStatus(index: $0.offset, stored: $0.element, migrationCompleted: migrationCompleted)
        }
        count = shards.count
        completedShards = shards.filter { $0.state == .completed }.count
        runningShards = shards.filter { $0.state == .running }.count
        failedShards = shards.filter { $0.state == .failed }.count
        completed = shards.reduce(0) { $0 + $1.completed }
        let known = shards.compactMap(\.total)
        if known.isEmpty {
            total = nil
        } else {
            let mean = Double(known.reduce(0, +)) / Double(known.count)
            total = known.reduce(0, +) + Int((mean * Double(count - known.count)).rounded())
        }
        ratePerSecond = shards.compactMap(\.progress).reduce(0) { $0 + $1.ratePerSecond }
        if let total, ratePerSecond > 0 {
            etaSeconds = max(0, Double(total - completed) / ratePerSecond)
        } else {
            etaSeconds = nil
        }
    }

    /// `12/64 shards done, 3 running; 18.2% (11650/64000), 2300.0/s, ETA 21s`.
    public var summary: String {
        var head = "\(completedShards)/\(count) shards done"
        if runningShards > 0 { head += ", \(runningShards) running" }
        if failedShards > 0 { head += ", \(failedShards) failed" }
        var parts: [String] = []
        if let total, total > 0 {
            parts.append(
                String(format: "%.1f%% (%d/%d)", min(1, Double(completed) / Double(total)) * 100, completed, total))
        } else {
            parts.append("\(completed) done")
        }
        if runningShards > 0 { parts.append(String(format: "%.1f/s", ratePerSecond)) }
        if let etaSeconds, runningShards > 0 { parts.append("ETA \(ProgressSnapshot.formatSeconds(etaSeconds))") }
        return head + "; " + parts.joined(separator: ", ")
    }
}
