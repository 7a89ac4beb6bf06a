import RawJSON

/// A local client's live control message, as the exchange defines them: SUBSCRIBE, UNSUBSCRIBE,
/// LIST_SUBSCRIPTIONS, SET_PROPERTY and GET_PROPERTY (`combined` is the one property).
/// Parsing is pure; a refusal carries the exchange's error code and message.
public struct StreamControlRequest: Sendable, Equatable {
    public enum Method: Sendable, Equatable {
        case subscribe([String])
        case unsubscribe([String])
        case listSubscriptions
        case setCombined(Bool)
        case getCombined
    }

    public let method: Method
    /// The request's `id` as sent (an unsigned integer, or a string as the official SDK sends),
    /// echoed in the answer.
    public let idJSON: String

    /// A refusal: `{"error":{"code":…,"msg":…},"id":…}` on the wire.
    public struct Refusal: Error, Sendable, Equatable {
        public let code: Int
        public let message: String
        /// The id, when the request had a usable one.
        public let idJSON: String

        public var json: [UInt8] {
            var out = Array(#"{"error":{"code":"#.utf8)
            out.append(contentsOf: String(code).utf8)
            out.append(contentsOf: #","msg":"#.utf8)
            JSONString.append(message, to: &out)
            out.append(contentsOf: #"},"id":"#.utf8)
            out.append(contentsOf: idJSON.utf8)
            out.append(UInt8(ascii: "}"))
            return out
        }
    }

    static let methods = ["SUBSCRIBE", "UNSUBSCRIBE", "LIST_SUBSCRIPTIONS", "SET_PROPERTY", "GET_PROPERTY"]
    static let longestId = 64

    public static func parse(_ bytes: [UInt8]) -> Result<StreamControlRequest, Refusal> {
        guard let object = try? JSONObject(parsing: bytes) else {
            return .failure(
                Refusal(code: 3, message: "Invalid JSON: expected value at line 1 column 1", idJSON: "null"))
        }
        func refuse(_ code: Int, _ message: String, id: String = "null") -> Result<StreamControlRequest, Refusal> {
            .failure(Refusal(code: code, message: message, idJSON: id))
        }
        let id: String
        switch object["id"] {
        case .raw(let text)?
        where text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            && text.utf8.count <= 20:
            id = text
        case .string(let text)? where text.utf8.count <= longestId && StreamRoute.isValidName(text):
            id = JSONString.quoted(text)
        default:
            return refuse(2, "Invalid request: request ID must be an unsigned integer")
        }
        guard let method = object["method"] else { return refuse(2, "Invalid request: missing field `method`", id: id) }
        guard let name = method.string, methods.contains(name) else {
            let shown = method.string.map { String($0.prefix(32)) } ?? "?"
            return refuse(
                2,
                "Invalid request: unknown variant `\(shown)`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, "
                    + "`LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`", id: id)
        }
        let params = object["params"]?.array ?? []
        if object["params"] != nil, object["params"]?.array == nil {
            return refuse(2, "Invalid request: params must be an array", id: id)
        }
        switch name {
        case "SUBSCRIBE", "UNSUBSCRIBE":
            var streams: [String] = []
            for value in params {
                guard let stream = value.string, StreamRoute.isValidName(stream) else {
                    return refuse(2, "Invalid request: invalid stream name", id: id)
                }
                if !streams.contains(stream) { streams.append(stream) }
            }
            return .success(
                StreamControlRequest(
                    method: name == "SUBSCRIBE" ? .subscribe(streams) : .unsubscribe(streams), idJSON: id))
        case "LIST_SUBSCRIPTIONS":
            return .success(StreamControlRequest(method: .listSubscriptions, idJSON: id))
        case "SET_PROPERTY":
            guard params.count <= 2 else { return refuse(2, "Invalid request: too many parameters", id: id) }
            guard let property = params.first?.string else {
                return refuse(2, "Invalid request: property name must be a string", id: id)
            }
            guard property == "combined" else { return refuse(0, "Unknown property", id: id) }
            guard params.count == 2, let value = params[1].bool else {
                return refuse(1, "Invalid value type: expected Boolean", id: id)
            }
            return .success(StreamControlRequest(method: .setCombined(value), idJSON: id))
        default:  // GET_PROPERTY
            guard params.count <= 1 else { return refuse(2, "Invalid request: too many parameters", id: id) }
            guard let property = params.first?.string else {
                return refuse(2, "Invalid request: property name must be a string", id: id)
            }
            guard property == "combined" else { return refuse(0, "Unknown property", id: id) }
            return .success(StreamControlRequest(method: .getCombined, idJSON: id))
        }
    }

    /// `{"result":<result>,"id":<id>}`.
    public func answer(result: String) -> [UInt8] {
        Array(#"{"result":\#(result),"id":\#(idJSON)}"#.utf8)
    }
}
