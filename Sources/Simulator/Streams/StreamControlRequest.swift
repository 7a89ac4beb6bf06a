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
