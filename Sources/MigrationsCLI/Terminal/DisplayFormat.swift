package import Foundation
import Migrations

/// How times, durations and messages are shown in human output.
package enum DisplayFormat {
    /// A duration in seconds: `0.42s`, `12.3s`, `3m05s`, `1h02m`.
    package static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.2fs", seconds) }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        return ProgressSnapshot.formatSeconds(seconds)
    }

    /// A time to live in milliseconds: `850ms`, `28.4s`, `12m30s`.
    package static func milliseconds(_ milliseconds: Int64) -> String {
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let seconds = Double(milliseconds) / 1000
        return seconds < 60 ? String(format: "%.1fs", seconds) : ProgressSnapshot.formatSeconds(seconds)
    }

    /// A moment as ISO 8601 in UTC, to the second: `2026-11-29T15:04:05Z`.
    package static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Text on one line, cut to `limit` characters with an ellipsis.
    package static func shortened(_ text: String, to limit: Int = 60) -> String {
        let single = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard single.count > limit else { return single }
        return String(single.prefix(max(1, limit - 1))) + "…"
    }
}
