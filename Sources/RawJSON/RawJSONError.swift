/// Why bytes are not the JSON the reader accepts.
public enum RawJSONError: Error, Sendable, Hashable {
    /// Not one valid JSON object: bad syntax, invalid UTF-8, trailing bytes or too deep.
    case malformed
    /// An object repeats a key.
    case duplicateKey(String)
}
