import HTTP1
import HTTPServer
import Logging
import Signing
import WebSocketServer

/// The local stream endpoints on the gateway's port, in the exchange's own shapes:
/// `/public|market|private/ws/<s1>/<s2>` and `/ws/<s>` (raw frames), `/public|market|private/stream?streams=a/b`
/// and `/stream?streams=a/b` (combined frames), `/private/ws?listenKey=<local key>`, the local
/// `POST|PUT|DELETE /fapi/v1/listenKey`, and `GET /v1/events?streams=a/b` (SSE). Any path may
/// carry public, market and `user` streams together: the hub routes each upstream.
public struct StreamRoutes: Sendable {
    public let hub: StreamHub
    public let listenKeys: LocalListenKeys
    public let limits: SubscriberLimits
    private let logger: Logger

    public init(
        hub: StreamHub, listenKeys: LocalListenKeys = LocalListenKeys(), limits: SubscriberLimits = SubscriberLimits(),
        logger: Logger
    ) {
        self.hub = hub
        self.listenKeys = listenKeys
        self.limits = limits
        self.logger = logger
    }

    /// The routes that only upgrade to WebSocket: asyncapi.yaml describes them, not openapi.yaml.
    public static let webSocketRoutes: Set<String> = Set(
        routeBases.flatMap { [$0 + "/ws", $0 + "/ws/*", $0 + "/stream"] })

    private static let routeBases = ["", "/public", "/market", "/private"]

    public func add(to router: inout HTTPRouter) {
        for base in Self.routeBases {
            router.add(.GET, base + "/ws") { request, responder in
                webSocket(request, responder, streams: rawStreams(base: base, request: request), combined: false)
            }
            router.add(.GET, prefix: base + "/ws/") { request, responder in
                webSocket(request, responder, streams: rawStreams(base: base, request: request), combined: false)
            }
            router.add(.GET, base + "/stream") { request, responder in
                webSocket(request, responder, streams: queryStreams(request, allowEmpty: true), combined: true)
            }
        }
        router.add(.GET, "/v1/events") { request, responder in
            let streams: [String]
            switch queryStreams(request, allowEmpty: false) {
            case .failure(let error): return responder.respond(error)
            case .success(let names): streams = names
            }
            guard responder.canUpgrade else { return responder.respond(StreamRequestError.needsHTTP1) }
            let session = EventStreamSession(hub: hub, streams: streams, limits: limits)
            responder.upgrade(EventStreamSession.responseHead) { connection in session.start(connection) }
        }
        let keys = listenKeys
        router.add(.POST, "/fapi/v1/listenKey") { _ in .json(.ok, #"{"listenKey":"\#(keys.create())"}"#) }
        router.add(.PUT, "/fapi/v1/listenKey") { _ in
            guard let key = keys.keepAlive() else { return .error(StreamRequestError.unknownListenKey) }
            return .json(.ok, #"{"listenKey":"\#(key)"}"#)
        }
        router.add(.DELETE, "/fapi/v1/listenKey") { _ in
            keys.delete()
            return .json(.ok, "{}")
        }
    }

    // MARK: Requests

    private func webSocket(
        _ request: HTTPRequest, _ responder: HTTPResponder, streams: Result<[String], StreamRequestError>,
        combined: Bool
    ) {
        let names: [String]
        switch streams {
        case .failure(let error): return responder.respond(error)
        case .success(let list): names = list
        }
        if names.contains(StreamRoute.userStream), !hub.servesUserStream {
            return responder.respond(StreamRequestError.noUserStream)
        }
        let session = LocalStreamSession(hub: hub, streams: names, combined: combined, limits: limits)
        WebSocketEndpoint(
            logger: logger, onOpen: { session.open($0) }, onText: { session.text($0, on: $1) },
            onClose: { _ in session.closed() }
        )
        .handle(request, responder: responder)
    }

    /// Streams named in the path after `<base>/ws/`, or the user stream of `?listenKey=`.
    private func rawStreams(base: String, request: HTTPRequest) -> Result<[String], StreamRequestError> {
        let rest = request.path.dropFirst(base.count + "/ws".count).drop { $0 == "/" }
        if rest.isEmpty, let key = parameter("listenKey", in: request) {
            return listenKeys.isValid(key) ? .success([StreamRoute.userStream]) : .failure(.unknownListenKey)
        }
        var names: [String] = []
        for segment in rest.split(separator: "/") {
            guard let name = QueryEncoding.unescape(segment) else { return .failure(.invalidStream) }
            names.append(listenKeys.isValid(name) ? StreamRoute.userStream : name)
        }
        return validated(names)
    }

    /// Streams of `?streams=a/b/c`.
    private func queryStreams(_ request: HTTPRequest, allowEmpty: Bool) -> Result<[String], StreamRequestError> {
        let names = parameter("streams", in: request)?.split(separator: "/").map(String.init) ?? []
        if names.isEmpty && !allowEmpty { return .failure(.noStreams) }
        return validated(names)
    }

    private func validated(_ names: [String]) -> Result<[String], StreamRequestError> {
        guard names.count <= LocalStreamSession.maxStreams else {
            return .failure(.tooManyStreams(limit: LocalStreamSession.maxStreams))
        }
        guard names.allSatisfy(StreamRoute.isValidName) else { return .failure(.invalidStream) }
        var seen: Set<String> = []
        let unique = names.filter { seen.insert($0).inserted }
        return .success(unique)
    }

    private func parameter(_ name: String, in request: HTTPRequest) -> String? {
        guard let query = request.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0] == name { return QueryEncoding.unescape(parts[1]) }
        }
        return nil
    }
}
