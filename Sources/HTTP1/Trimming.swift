extension StringProtocol where SubSequence == Substring {
    /// The text without leading and trailing characters for which `isTrimmed` holds (by default
    /// any whitespace, newlines included), without Foundation.
    public func trimmed(_ isTrimmed: (Character) -> Bool = \.isWhitespace) -> Substring {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }

    /// The text without the spaces and tabs around it (HTTP's optional whitespace, OWS).
    public func trimmingOWS() -> Substring { trimmed { $0 == " " || $0 == "\t" } }
}
