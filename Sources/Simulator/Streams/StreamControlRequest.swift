import RawJSON

/// One live control message on a market-stream connection, parsed strictly:
/// `{"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":1}` and its four siblings.
///
/// The id is echoed back as it came: an unsigned integer, as documented, or a string, which the
/// official SDK sends. `combined` is the only property.
struct StreamControlRequest: Sendable, Equatable {
    enum Method: Sendable, Equatable {
        case subscribe([String])
        case unsubscribe([String])
        case listSubscriptions
        case setCombined(Bool)
        case getCombined
    }

    static let methods = ["SUBSCRIBE", "UNSUBSCRIBE", "LIST_SUBSCRIPTIONS", "SET_PROPERTY", "GET_PROPERTY"]

    let method: Method
    /// The request's id as JSON text, ready to echo.
    let id: String

    init(parsing text: [UInt8]) throws(StreamControlError) {
        let object: JSONObject
        do {
            object = try JSONObject(parsing: text)
        } catch {
            throw .invalidJSON
        }
        var id = "null"
        if let value = object["id"] {
            if let number = value.integer, number >= 0 {
                id = String(number)
            } else if let string = value.string, string.utf8.count <= 64 {
                id = JSONString.quoted(string)
            } else {
                throw .invalidRequest("request ID must be an unsigned integer", id: "null")
            }
        }
        self.id = id
        guard let methodValue = object["method"] else { throw .invalidRequest("missing field `method`", id: id) }
        guard let name = methodValue.string, Self.methods.contains(name) else {
            let shown = methodValue.string ?? methodValue.json
            let expected = Self.methods.map { "`\($0)`" }.joined(separator: ", ")
            throw .invalidRequest("unknown variant `\(shown.prefix(40))`, expected one of \(expected)", id: id)
        }
        if let unknown = object.members.first(where: { !["id", "method", "params"].contains($0.key) }) {
            throw .invalidRequest("unknown field `\(unknown.key.prefix(40))`", id: id)
        }
        let params = object["params"]
        switch name {
        case "SUBSCRIBE", "UNSUBSCRIBE":
            let names = try Self.streamNames(params, id: id)
            method = name == "SUBSCRIBE" ? .subscribe(names) : .unsubscribe(names)
        case "LIST_SUBSCRIPTIONS":
            if let params, !params.isNull, params.array?.isEmpty != true {
                throw .invalidRequest("too many parameters", id: id)
            }
            method = .listSubscriptions
        default:
            guard let elements = params?.array, !elements.isEmpty else {
                throw .invalidRequest("missing field `params`", id: id)
            }
            guard let property = elements[0].string else {
                throw .invalidRequest("property name must be a string", id: id)
            }
            guard property == "combined" else { throw .unknownProperty(id: id) }
            if name == "GET_PROPERTY" {
                guard elements.count == 1 else { throw .invalidRequest("too many parameters", id: id) }
                method = .getCombined
            } else {
                guard elements.count == 2 else {
                    throw elements.count < 2
                        ? .invalidValueType(id: id) : .invalidRequest("too many parameters", id: id)
                }
                guard let value = elements[1].bool else { throw .invalidValueType(id: id) }
                method = .setCombined(value)
            }
        }
    }

    /// The stream names of SUBSCRIBE / UNSUBSCRIBE: an array of non-empty strings of printable
    /// ASCII without `/`, each at most `StreamSubscriptions.maxStreamNameLength` bytes.
    private static func streamNames(_ params: RawJSONScanner.Value?, id: String) throws(StreamControlError) -> [String]
    {
        guard let elements = params?.array else { throw .invalidRequest("missing field `params`", id: id) }
        var names: [String] = []
        for element in elements {
            guard let name = element.string, StreamNames.isValid(name) else {
                throw .invalidRequest("invalid stream name", id: id)
            }
            names.append(name)
        }
        return names
    }
}

/// Stream names as the simulator accepts them in a path, a query or a SUBSCRIBE.
enum StreamNames {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= StreamSubscriptions.maxStreamNameLength
            && name.utf8.allSatisfy {
                $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\"")
                    && $0 != UInt8(ascii: "\\")
            }
    }

    /// `a/b/c` split on `/`; `nil` when a name is invalid.
    static func parse(list: Substring) -> [String]? {
        guard !list.isEmpty else { return [] }
        let names = list.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return names.allSatisfy(isValid) ? names : nil
    }
}

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
