extension Duration {
    /// The duration in seconds, for backoff arithmetic.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
