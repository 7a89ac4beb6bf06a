extension String {
    /// Calls `body` with the string's UTF-8 bytes: in place for a native string (every string
    /// the parser makes is one), from a copy otherwise. The byte loops of the hot path use it
    /// instead of the generic `utf8` view, whose iteration checks and branches at every byte.
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}

extension Substring {
    /// As `String.withUTF8Bytes`, for a slice.
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
