import Catalog
import RawJSON

/// Builds upstream WebSocket request frames: `{"id":…,"method":…,"params":{…}}`, adding the
/// credentials a method's security needs.
public struct WebSocketRequestEncoder: Sendable {
    /// How signed requests are authorized on the connection they go out on.
    public enum Authorization: Sendable {
        /// apiKey, timestamp and signature on every request.
        case signEach
        /// The connection is logged on (`session.logon`, Ed25519): timestamp only.
        case session
    }

    public let credentials: Credentials?
    /// Added to signed requests that carry none; nil leaves the upstream's default (5000 ms).
    public let recvWindow: Int?

    public init(credentials: Credentials?, recvWindow: Int?) {
        self.credentials = credentials
        self.recvWindow = recvWindow
    }

    /// The params with credentials added, in the order they are sent.
    public func parameters(
        _ arguments: CallArguments, security: Security, timestamp: Int64,
        authorization: Authorization = .signEach
    ) -> CallArguments {
        var params = arguments
        guard let credentials else { return params }
        switch security {
        case .none:
            break
        case .apiKey:
            params.set("apiKey", .text(credentials.apiKey))
        case .signed:
            if let recvWindow, !params.contains("recvWindow") { params.set("recvWindow", .integer(String(recvWindow))) }
            params.set("timestamp", .integer(String(timestamp)))
            if case .signEach = authorization {
                params.set("apiKey", .text(credentials.apiKey))
                params.set("signature", .text(credentials.sign(SigningPayload.webSocket(params.entries))))
            }
        }
        return params
    }

    /// One whole request frame.
    public func frame(
        id: UInt64, method: String, _ arguments: CallArguments, security: Security, timestamp: Int64,
        authorization: Authorization = .signEach
    ) -> [UInt8] {
        let params = parameters(arguments, security: security, timestamp: timestamp, authorization: authorization)
        return Self.frame(id: id, method: method, params: params)
    }

    /// A frame with exactly `params`.
    public static func frame(id: UInt64, method: String, params: CallArguments) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + method.utf8.count + params.entries.count * 32)
        out.append(contentsOf: #"{"id":"#.utf8)
        out.append(contentsOf: String(id).utf8)
        out.append(contentsOf: #","method":"#.utf8)
        JSONString.append(method, to: &out)
        out.append(contentsOf: #","params":{"#.utf8)
        for (index, entry) in params.entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.append(entry.name, to: &out)
            out.append(UInt8(ascii: ":"))
            entry.value.appendJSON(to: &out)
        }
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// `session.logon` params: apiKey, timestamp and the Ed25519 signature over them.
    public func logonParameters(timestamp: Int64) -> CallArguments? {
        guard let credentials, credentials.canLogOn else { return nil }
        var params = CallArguments([("apiKey", .text(credentials.apiKey)), ("timestamp", .integer(String(timestamp)))])
        if let recvWindow { params.set("recvWindow", .integer(String(recvWindow))) }
        params.set("signature", .text(credentials.sign(SigningPayload.webSocket(params.entries))))
        return params
    }
}
