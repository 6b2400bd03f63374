import Foundation

/// Timing and number formatting shared by every benchmark.
enum Measurement {
    /// Runs `body` and returns how long it took on the monotonic clock.
    static func time(_ body: () async throws -> Void) async rethrows -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try await body()
        return clock.now - start
    }

    /// The median of some values (the mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "the median of nothing")
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// Short renderings of numbers for the results table.
enum Format {
    /// `12,345` for large numbers, `1.23` for small ones.
    static func number(_ value: Double, decimals: Int = 0) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.usesGroupingSeparator = true
        formatter.groupingSeparator = ","
        formatter.decimalSeparator = "."
        formatter.minimumFractionDigits = decimals
        formatter.maximumFractionDigits = decimals
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }

    /// `1.23×`.
    static func ratio(_ value: Double, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f×", value)
    }

    /// `123.4 ms` below a second, `1.23 s` above.
    static func duration(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.2f s", seconds)
    }

    /// The spread of measured durations, `101.2 ms–130.4 ms`.
    static func spread(_ seconds: [Double]) -> String {
        "\(duration(seconds.min() ?? 0))–\(duration(seconds.max() ?? 0))"
    }
}
