public import Foundation

/// A reading of a ``MigrationProgress``: counters, elapsed time, rate and estimate.
///
/// It is `Codable`; the Redis lease publishes it as JSON at `<prefix>:<name>:progress`.
public struct ProgressSnapshot: Sendable, Codable, Equatable {
    /// Items processed so far.
    public var completed: Int
    /// Items to process in all; `0` when unknown.
    public var total: Int
    /// Seconds since the migration started.
    public var elapsedSeconds: Double
    /// Whether ``MigrationProgress/complete()`` was called.
    public var isFinished: Bool
    /// When the migration started.
    public var startedAt: Date
    /// The count this attempt resumed from (a previous attempt's checkpoint); `0` on a first attempt.
    public var resumedFrom: Int
    /// Why the migration is waiting before its next batch (a throttle condition holds), if it is.
    public var throttled: String?

    /// Creates a snapshot.
    ///
    /// - Parameters:
    ///   - completed: Items processed so far, those of earlier attempts included.
    ///   - total: Items in all; `0` when unknown.
    ///   - elapsedSeconds: Seconds since this attempt started.
    ///   - isFinished: Whether the work finished.
    ///   - startedAt: When this attempt started.
    ///   - resumedFrom: The count this attempt resumed from.
    ///   - throttled: Why the migration is waiting, if it is.
    public init(
        completed: Int, total: Int, elapsedSeconds: Double, isFinished: Bool, startedAt: Date,
        resumedFrom: Int = 0, throttled: String? = nil
    ) {
        self.completed = completed
        self.total = total
        self.elapsedSeconds = elapsedSeconds
        self.isFinished = isFinished
        self.startedAt = startedAt
        self.resumedFrom = resumedFrom
        self.throttled = throttled
    }

    private enum CodingKeys: String, CodingKey {
        case completed, total, elapsedSeconds, isFinished, startedAt, resumedFrom, throttled
    }

    /// Decodes a snapshot; `resumedFrom` is `0` in snapshots written before it existed.
    ///
    /// - Parameter decoder: The decoder to read from.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        completed = try container.decode(Int.self, forKey: .completed)
        total = try container.decode(Int.self, forKey: .total)
        elapsedSeconds = try container.decode(Double.self, forKey: .elapsedSeconds)
        isFinished = try container.decode(Bool.self, forKey: .isFinished)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        resumedFrom = try container.decodeIfPresent(Int.self, forKey: .resumedFrom) ?? 0
        throttled = try container.decodeIfPresent(String.self, forKey: .throttled)
    }

    /// The fraction done, from 0 to 1, when the total is known.
    public var fraction: Double? {
        guard total > 0 else { return nil }
        return min(1, Double(completed) / Double(total))
    }

    /// Items per second since this attempt started (the items of earlier attempts do not count).
    public var ratePerSecond: Double {
        elapsedSeconds > 0 ? Double(max(0, completed - resumedFrom)) / elapsedSeconds : 0
    }

    /// Estimated seconds left, when the total is known and the rate is positive.
    public var etaSeconds: Double? {
        guard total > 0, ratePerSecond > 0 else { return nil }
        return max(0, Double(total - completed) / ratePerSecond)
    }

    /// A one-line summary such as `45.0% (4500/10000), 1200.0/s, ETA 4s`.
    public var summary: String {
        var parts: [String] = []
        if let fraction {
            parts.append(String(format: "%.1f%% (%d/%d)", fraction * 100, completed, total))
        } else {
            parts.append("\(completed) done")
        }
        parts.append(String(format: "%.1f/s", ratePerSecond))
        if let etaSeconds { parts.append("ETA \(Self.formatSeconds(etaSeconds))") }
        if resumedFrom > 0 { parts.append("resumed at \(resumedFrom)") }
        if let throttled { parts.append("throttled: \(throttled)") }
        return parts.joined(separator: ", ")
    }

    /// Formats seconds as `42s`, `3m05s` or `1h02m`.
    public static func formatSeconds(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }
}
