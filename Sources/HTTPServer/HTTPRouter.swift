import HTTP1

/// Maps method and path to a handler; the call catalog fills it.
///
/// Paths match exactly, or by prefix for routes registered with `prefix:`.
/// An unknown path is 404; a known path with another method is 405 with `Allow`.
/// HEAD is served by the GET handler (the connection drops the body).
public struct HTTPRouter: HTTPHandler {
    public typealias Handle = @Sendable (HTTPRequest, HTTPResponder) -> Void

    /// A registered route, as the OpenAPI agreement test sees it.
    public struct Route: Sendable, Hashable {
        public let method: HTTPMethod
        /// The path, ending in `*` for a prefix route.
        public let path: String
    }

    private var exact: [String: [HTTPMethod: Handle]] = [:]
    private var prefixes: [(prefix: String, handlers: [HTTPMethod: Handle])] = []

    public init() {}

    public mutating func add(_ method: HTTPMethod, _ path: String, _ handle: @escaping Handle) {
        exact[path, default: [:]][method] = handle
    }

    /// Registers a handler for a synchronous answer.
    public mutating func add(
        _ method: HTTPMethod, _ path: String,
        _ answer: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) {
        add(method, path) { request, responder in responder.respond(answer(request)) }
    }

    /// Registers a handler for every path starting with `prefix`.
    public mutating func add(_ method: HTTPMethod, prefix: String, _ handle: @escaping Handle) {
        if let index = prefixes.firstIndex(where: { $0.prefix == prefix }) {
            prefixes[index].handlers[method] = handle
        } else {
            prefixes.append((prefix, [method: handle]))
            prefixes.sort { $0.prefix.count > $1.prefix.count }
        }
    }

    public var routes: [Route] {
        let plain = exact.flatMap { path, handlers in handlers.keys.map { Route(method: $0, path: path) } }
        let wild = prefixes.flatMap { entry in entry.handlers.keys.map { Route(method: $0, path: entry.prefix + "*") } }
        return (plain + wild).sorted { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let path = String(request.path)
        guard let handlers = exact[path] ?? prefixes.first(where: { path.hasPrefix($0.prefix) })?.handlers else {
            return responder.respond(ServerError.notFound(path: path))
        }
        let method = request.method == .HEAD && handlers[.HEAD] == nil ? .GET : request.method
        guard let handle = handlers[method] else {
            var allowed = Set(handlers.keys)
            if allowed.contains(.GET) { allowed.insert(.HEAD) }
            let ordered = HTTPMethod.allCases.filter(allowed.contains)
            return responder.respond(ServerError.methodNotAllowed(allowed: ordered))
        }
        handle(request, responder)
    }
}
