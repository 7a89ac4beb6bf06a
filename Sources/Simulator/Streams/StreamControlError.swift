import RawJSON

/// A refused control message, as the exchange answers it:
/// `{"error":{"code":2,"msg":"Invalid request: …"},"id":…}` (codes from reference §2).
enum StreamControlError: Error, Equatable, Sendable {
    case unknownProperty(id: String)
    case invalidValueType(id: String)
    case invalidRequest(String, id: String)
    case invalidJSON
    case tooManyStreams

    var code: Int {
        switch self {
        case .unknownProperty: 0
        case .invalidValueType: 1
        case .invalidRequest, .tooManyStreams: 2
        case .invalidJSON: 3
        }
    }

    var message: String {
        switch self {
        case .unknownProperty: "Unknown property"
        case .invalidValueType: "Invalid value type: expected Boolean"
        case .invalidRequest(let reason, _): "Invalid request: \(reason)"
        case .invalidJSON: "Invalid JSON: expected value at line 1 column 1"
        case .tooManyStreams:
            "Invalid request: too many subscriptions, at most \(StreamSubscriptions.maxStreams) streams per connection"
        }
    }

    /// The reply frame; `id` replaces the one the error carries (for errors found after parsing).
    func reply(id: String? = nil) -> String {
        let echoed: String
        switch self {
        case .unknownProperty(let own), .invalidValueType(let own), .invalidRequest(_, let own): echoed = id ?? own
        case .invalidJSON, .tooManyStreams: echoed = id ?? "null"
        }
        return #"{"error":{"code":\#(code),"msg":\#(JSONString.quoted(message))},"id":\#(echoed)}"#
    }
}
