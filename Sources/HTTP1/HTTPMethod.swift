/// The request methods the server understands.
///
/// A syntactically valid method outside this set is answered with 501 (RFC 9110 §9.1),
/// so the set is closed on purpose: adding a case is a decision, not an accident.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS

    /// Parses the method token of a request line; `nil` when it is not one we implement.
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        switch bytes.count {
        case 3 where bytes.elementsEqual("GET".utf8): self = .GET
        case 3 where bytes.elementsEqual("PUT".utf8): self = .PUT
        case 4 where bytes.elementsEqual("POST".utf8): self = .POST
        case 4 where bytes.elementsEqual("HEAD".utf8): self = .HEAD
        case 5 where bytes.elementsEqual("PATCH".utf8): self = .PATCH
        case 6 where bytes.elementsEqual("DELETE".utf8): self = .DELETE
        case 7 where bytes.elementsEqual("OPTIONS".utf8): self = .OPTIONS
        default: return nil
        }
    }
}
