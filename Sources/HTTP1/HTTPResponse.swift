/// A response a handler hands back; the encoder adds framing and connection headers.
public struct HTTPResponse: Sendable, Hashable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    /// The body; a slice so an upstream answer can be forwarded without copying it first.
    public var body: ArraySlice<UInt8>

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: ArraySlice<UInt8> = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8]) {
        self.init(status: status, headers: headers, body: body[...])
    }

    /// A JSON response from already-encoded JSON text.
    public static func json(_ status: HTTPStatus = .ok, _ text: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }
}
