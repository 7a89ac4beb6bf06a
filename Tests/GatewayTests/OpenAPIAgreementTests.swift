import Catalog
import Foundation
import Gateway
import HTTP1
import HTTPServer
import Journal
import Logging
import OpenAPIWriter
import OrderBook
import Pacing
import RESTClient
import Streams
import TestSupport
import Testing
import Upstream

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `openapi.yaml` is the contract: every route the server has is documented, and every
/// documented route exists on the running server.
@Suite struct OpenAPIAgreementTests {
    /// A router whose upstream never connects: enough to see every route, and fast to answer.
    private func makeRouter() -> HTTPRouter {
        let logger = Logger(label: "openapi-test")
        let upstream = UpstreamMultiplexer(
            configuration: UpstreamConfiguration(requestTimeout: .milliseconds(100)),
            connector: UnreachableConnector(), logger: logger)
        // Port 9 (discard) on loopback: nothing listens, every REST call fails fast.
        let rest = try! RESTClient(
            baseURL: "http://127.0.0.1:9", protocol: .auto, tls: nil,
            configuration: RESTClientConfiguration(requestTimeout: .milliseconds(100)),
            logger: logger)
        let clock = ServerClock()
        let upstreams = GatewayUpstreams(
            webSocket: upstream, rest: rest, credentials: nil, recvWindow: nil,
            session: SessionAuthorization(), clock: clock,
            limits: RateLimitGuard(clock: clock.now), logger: logger)
        let journal = try! CallJournal(directory: GatewayProcess.temporaryDirectory())
        // A stream hub that is never started: its routes are what matters here.
        let hub = StreamHub(baseURL: "ws://127.0.0.1:9", logger: logger, wallClock: { 0 })
        let books = OrderBooks(feed: ScriptedDepthFeed(), snapshots: ScriptedSnapshotSource(), logger: logger)
        return GatewayRoutes.makeRouter(
            upstreams: upstreams, recovery: try! JournalRecovery(journal: journal),
            streams: StreamRoutes(hub: hub, logger: logger), books: books)
    }

    /// The `/v1/{call}` paths in the file are exactly what the catalog generates
    /// (`scripts/openapi` rewrites them): parameters, types and requiredness agree.
    @Test func theCallPathsAreGeneratedFromTheCatalog() throws {
        let text = try String(contentsOf: OpenAPIDocument.repositoryFile, encoding: .utf8)
        let generated = OpenAPICallPaths.yaml()
        #expect(text.contains(generated), "openapi.yaml is out of date with the call catalog: run scripts/openapi")
        #expect(
            text.contains(OpenAPICallPaths.schemasYAML()),
            "openapi.yaml's answer schemas are out of date with ResponseSchemas: run scripts/openapi")
    }

    /// Every call has a typed 200 body, and every schema a body refers to is written.
    @Test func everyCallHasATypedResult() {
        let names = Set(ResponseSchemas.components.map(\.name) + ["ErrorBody"])
        func references(_ schema: ResponseSchema) -> [String] {
            switch schema {
            case .ref(let name): [name]
            case .array(let items), .fixedArray(let items, _), .described(_, let items): references(items)
            case .oneOf(let items), .allOf(let items): items.flatMap(references)
            case .object(_, let properties): properties.flatMap { references($0.schema) }
            case .string, .integer, .number, .boolean, .nullableString: []
            }
        }
        for spec in CallCatalog.all {
            let result = ResponseSchemas.result(of: spec)
            #expect(result != nil, "no result schema for \(spec.name)")
            for name in result.map(references) ?? [] { #expect(names.contains(name), "\(spec.name) refers to \(name)") }
        }
        for (name, schema) in ResponseSchemas.components {
            for reference in references(schema) { #expect(names.contains(reference), "\(name) refers to \(reference)") }
        }
    }

    /// Every call has an example in the spec, and the gateway accepts it (schemathesis sends them first).
    @Test func everyCallHasAnExampleTheGatewayAccepts() throws {
        for spec in CallCatalog.all {
            let body = try #require(CallExamples.body(spec.name), "no example for \(spec.name)")
            do {
                _ = try spec.plan(try ArgumentReader(spec: spec).read(jsonBody: Array(body.utf8)))
            } catch {
                Issue.record("\(spec.name): example \(body) refused: \(error)")
            }
        }
    }

    /// The router's routes in the document's terms: a prefix route `/a/*` is `/a/{param}`. The
    /// WebSocket stream routes are asyncapi.yaml's, not this document's.
    private func serverOperations() -> Set<OpenAPIDocument.Operation> {
        Set(
            makeRouter().routes.filter { !StreamRoutes.webSocketRoutes.contains($0.path) }.map { route in
                OpenAPIDocument.Operation(method: route.method, path: route.path)
            })
    }

    private func matches(_ documented: OpenAPIDocument.Operation, _ served: OpenAPIDocument.Operation) -> Bool {
        guard documented.method == served.method else { return false }
        if served.path.hasSuffix("*") {
            let prefix = String(served.path.dropLast())
            guard documented.path.hasPrefix(prefix) else { return false }
            let rest = documented.path.dropFirst(prefix.count)
            return rest.hasPrefix("{") && rest.hasSuffix("}") && !rest.contains("/")
        }
        return documented.path == served.path
    }

    @Test func everyServedRouteIsDocumented() throws {
        let document = try OpenAPIDocument()
        let undocumented = serverOperations().filter { served in
            !document.operations.contains { matches($0, served) }
        }
        #expect(undocumented.isEmpty, "routes missing from openapi.yaml: \(undocumented.sorted())")
    }

    @Test func everyDocumentedRouteIsServed() throws {
        let document = try OpenAPIDocument()
        let served = serverOperations()
        let phantom = document.operations.filter { documented in !served.contains { matches(documented, $0) } }
        #expect(phantom.isEmpty, "documented but not served: \(phantom.sorted())")
        #expect(!document.operations.isEmpty)
    }

    /// The same check over the wire: no documented operation is a 404 or 405 on a live server.
    @Test func everyDocumentedRouteAnswersOnALiveServer() async throws {
        let document = try OpenAPIDocument()
        let server = HTTPServer(
            configuration: ServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0)),
            handler: makeRouter(), logger: Logger(label: "openapi-test")
        )
        guard case .tcp(_, let port) = try server.start() else {
            Issue.record("not a TCP address")
            return
        }
        defer { server.shutdown() }
        for operation in document.operations.sorted() {
            let path = operation.path.replacingOccurrences(
                of: #"\{[^}]+\}"#, with: "probe", options: .regularExpression)
            let status = try LoopbackHTTP.status(method: operation.method.rawValue, path: path, port: port)
            #expect(status != 404 && status != 405, "\(operation) answered \(status)")
        }
    }
}

extension OpenAPIAgreementTests {
    /// `/v1/call/{method}` is one path segment: `v2/account.status` goes as `v2%2Faccount.status`,
    /// and the unencoded form, which no path of the document matches, is a 400 that says so.
    @Test func aMethodWithAnUnencodedSlashIsRefused() throws {
        let server = HTTPServer(
            configuration: ServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0)),
            handler: makeRouter(), logger: Logger(label: "openapi-test"))
        guard case .tcp(_, let port) = try server.start() else {
            Issue.record("not a TCP address")
            return
        }
        defer { server.shutdown() }
        #expect(try LoopbackHTTP.status(method: "POST", path: "/v1/call/v2/account.status", port: port) == 400)
        #expect(try LoopbackHTTP.status(method: "POST", path: "/v1/call/v2%2Faccount.status", port: port) != 400)
    }
}

/// One request over a fresh loopback connection, for probing routes.
enum LoopbackHTTP {
    static func status(method: String, path: String, port: UInt16) throws -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if method != "GET" && method != "HEAD" {
            request.httpBody = Data("{}".utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let result = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { _, response, error in
            result.set((response as? HTTPURLResponse)?.statusCode, error)
            semaphore.signal()
        }.resume()
        guard semaphore.wait(timeout: .now() + 5) == .success else { throw ProbeError.timeout }
        guard let status = result.value.status else { throw ProbeError.failed(result.value.error) }
        return status
    }

    enum ProbeError: Error { case timeout, failed((any Error)?) }

    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: (status: Int?, error: (any Error)?) = (nil, nil)
        var value: (status: Int?, error: (any Error)?) { lock.withLock { stored } }
        func set(_ status: Int?, _ error: (any Error)?) { lock.withLock { stored = (status, error) } }
    }
}

/// An upstream that refuses every connection.
struct UnreachableConnector: UpstreamConnector {
    struct Unreachable: Error {}

    func connect(
        queue: DispatchQueue, onFrame: @escaping @Sendable ([UInt8]) -> Void,
        onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping @Sendable (Result<any UpstreamLink, any Error>) -> Void
    ) {
        queue.async { completion(.failure(Unreachable())) }
    }
}
