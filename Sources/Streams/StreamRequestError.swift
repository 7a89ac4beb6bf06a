import HTTP1
import HTTPServer

/// Why a local stream request (WebSocket or SSE) is refused before it starts: 400 with the one
/// error body. Listen-key refusals carry the exchange's code, as its REST API does.
public enum StreamRequestError: APIError, Hashable {
    case noStreams
    case invalidStream
    case tooManyStreams(limit: Int)
    case noUserStream
    case unknownListenKey
    /// Streams take over the connection, which an HTTP/2 stream cannot give.
    case needsHTTP1

    public var status: HTTPStatus { .badRequest }

    public var code: Int {
        switch self {
        case .unknownListenKey: -1125
        default: 400
        }
    }

    public var message: String {
        switch self {
        case .noStreams: "name at least one stream: streams=a/b/c"
        case .invalidStream: "a stream name is 1 to 128 of A-Z a-z 0-9 @ ! _ . -"
        case .tooManyStreams(let limit): "at most \(limit) streams per connection"
        case .noUserStream: "the user stream needs API credentials, and the gateway has none"
        case .unknownListenKey: "This listenKey does not exist."
        case .needsHTTP1: "streams need HTTP/1.1 (curl -N --http1.1); this request came over HTTP/2"
        }
    }
}
