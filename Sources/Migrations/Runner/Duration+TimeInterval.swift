extension Duration {
    /// The duration in seconds, as a `Double` (`Date` arithmetic, formatting).
    package var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
