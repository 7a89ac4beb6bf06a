extension StringProtocol {
    /// Calls `body` with the text's UTF-8 bytes: in place for a native string or a slice of one
    /// (every string the parser makes is one), from a copy otherwise. The byte loops of the hot
    /// path use it instead of the generic `utf8` view, whose iteration checks and branches at
    /// every byte.
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = String(self)
        return try copy.withUTF8(body)
    }
}
