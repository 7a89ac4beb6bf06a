import HTTP1
import HTTPServer
import Logging
import WebSocketServer

/// The stream endpoints on the simulator's port, as on the exchange's stream host:
/// `/public/ws/<s1>/<s2>`, `/public/stream?streams=a/b`, the same under `/market/`, the user data
/// stream at `/private/ws?listenKey=K` and `/private/ws/K`, and the legacy unrouted
/// `/ws/<stream-or-listenKey>` and `/stream?streams=…` (public data only).
///
/// `/ws/…` connections start with `combined` false (raw payloads), `/stream` ones with it true
/// (`{"stream","data"}`); both take the live control messages.
struct StreamRoutes {
    static let privatePath = "/private/ws"

    let exchange: SimulatedExchange
    let settings: WebSocketServerSettings
    let logger: Logger

    func add(to router: inout HTTPRouter) {
        for route in [StreamRoute.public, .market] {
            router.add(.GET, prefix: "/\(route.rawValue)/ws/") { request, responder in
                marketStream(route, path: request.path.dropFirst(route.rawValue.count + 5), request, responder)
            }
            router.add(.GET, "/\(route.rawValue)/ws") { request, responder in
                marketStream(route, path: "", request, responder)
            }
            router.add(.GET, "/\(route.rawValue)/stream") { request, responder in
                combinedStream(route, request, responder)
            }
        }
        router.add(.GET, prefix: "/ws/") { request, responder in
            let rest = request.path.dropFirst(4)
            if !rest.contains("/"), exchange.listenKeyOwner(String(rest)) != nil {
                return userStream(String(rest), request, responder)
            }
            marketStream(.legacy, path: rest, request, responder)
        }
        router.add(.GET, "/stream") { request, responder in combinedStream(.legacy, request, responder) }
        router.add(.GET, Self.privatePath) { request, responder in
            userStream((try? RESTQuery(query: request.query, body: []))?["listenKey"], request, responder)
        }
        router.add(.GET, prefix: Self.privatePath + "/") { request, responder in
            userStream(String(request.path.dropFirst(Self.privatePath.count + 1)), request, responder)
        }
    }

    /// `/<route>/ws/<s1>/<s2>…`: raw frames.
    private func marketStream(_ route: StreamRoute, path: Substring, _ request: HTTPRequest, _ responder: HTTPResponder)
    {
        guard let names = StreamNames.parse(list: Substring(RESTQuery.decode(path))) else {
            return responder.respond(StreamPathRefusal())
        }
        open(StreamSubscriptions(route: route, streams: names, combined: false), request, responder)
    }

    /// `/<route>/stream?streams=a/b`: wrapped frames.
    private func combinedStream(_ route: StreamRoute, _ request: HTTPRequest, _ responder: HTTPResponder) {
        let list = (try? RESTQuery(query: request.query, body: []))?["streams"] ?? ""
        guard let names = StreamNames.parse(list: Substring(list)) else {
            return responder.respond(StreamPathRefusal())
        }
        open(StreamSubscriptions(route: route, streams: names, combined: true), request, responder)
    }

    private func open(_ subscriptions: StreamSubscriptions, _ request: HTTPRequest, _ responder: HTTPResponder) {
        let hub = exchange.marketStreams
        WebSocketEndpoint(
            settings: settings, logger: logger, onOpen: { hub.open($0, subscriptions) },
            onText: { text, connection in hub.receive(text, on: connection) }, onClose: { hub.close($0) }
        )
        .handle(request, responder: responder)
    }

    private func userStream(_ listenKey: String?, _ request: HTTPRequest, _ responder: HTTPResponder) {
        guard let listenKey, let owner = exchange.listenKeyOwner(listenKey) else {
            let error = ExchangeError.listenKeyMissing
            return responder.respond(.json(HTTPStatus(code: error.status), error.json))
        }
        let userStreams = exchange.userStreams
        WebSocketEndpoint(
            settings: settings, logger: logger, onOpen: { userStreams.add(owner, listenKey: listenKey, $0) },
            onText: { _, _ in }, onClose: { userStreams.remove($0) }
        )
        .handle(request, responder: responder)
    }
}

/// A stream path or `streams=` list with an invalid name: 400.
struct StreamPathRefusal: APIError {
    var status: HTTPStatus { .badRequest }
    var message: String { "invalid stream name in the path or the streams list" }
}
