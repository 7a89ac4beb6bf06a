import Dispatch
import HTTP1
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// Pipelined requests answered out of order by the handlers still leave in request order,
/// and a handler that answers twice cannot put a second response on the wire.
@Suite("Response order")
struct ResponseOrderTests {
    /// Indexes in the order the handlers answered.
    private final class AnswerLog: Sendable {
        let order = Mutex<[Int]>([])
    }

    @Test func pipelinedResponsesKeepRequestOrder() throws {
        let log = AnswerLog()
        var router = HTTPRouter()
        router.add(.GET, prefix: "/p/") { request, responder in
            let index = Int(request.path.dropFirst(3)) ?? -1
            let delay = (10 - index) * 15 + Int.random(in: 0..<10)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delay)) {
                log.order.withLock { $0.append(index) }
                responder.respond(HTTPResponse(body: Array("/p/\(index)".utf8)))
            }
        }
        let server = try TestServer(router: router)
        defer { server.stop() }
        let client = try server.connect()
        try client.send((0..<10).map { request("GET", "/p/\($0)") }.joined())
        var bodies: [String] = []
        for _ in 0..<10 {
            let response = try client.readResponse()
            #expect(response.status == 200)
            bodies.append(response.body)
        }
        #expect(bodies == (0..<10).map { "/p/\($0)" })
        #expect(!client.isReadable(within: .milliseconds(100)))
        // The handlers really did finish out of order; otherwise this test proves nothing.
        let answered = log.order.withLock { $0 }
        #expect(answered.count == 10)
        #expect(answered.first != 0 && answered != answered.sorted())
    }

    private static func doubleAnswerRouter() -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.GET, "/twice") { _, responder in
            responder.respond(HTTPResponse(body: Array("first".utf8)))
            responder.respond(HTTPResponse(status: .imATeapot, body: Array("second".utf8)))
        }
        router.add(.GET, "/twice-late") { _, responder in
            responder.respond(HTTPResponse(body: Array("first".utf8)))
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) {
                responder.respond(HTTPResponse(status: .imATeapot, body: Array("late".utf8)))
            }
        }
        router.add(.GET, "/slow") { _, responder in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) {
                responder.respond(HTTPResponse(body: Array("slow".utf8)))
            }
        }
        router.add(.GET, "/next") { _ in HTTPResponse(body: Array("next".utf8)) }
        return router
    }

    /// Sends `paths` pipelined in one write; returns the bodies of as many responses.
    private static func exchange(_ paths: [String], on client: LoopbackClient) throws -> [String] {
        try client.send(paths.map { request("GET", $0) }.joined())
        var bodies: [String] = []
        for _ in paths {
            let response = try client.readResponse()
            #expect(response.status == 200, "\(response)")
            bodies.append(response.body)
        }
        return bodies
    }

    @Test func secondAnswerIsIgnored() throws {
        let server = try TestServer(router: Self.doubleAnswerRouter())
        defer { server.stop() }
        let client = try server.connect()
        #expect(try Self.exchange(["/twice", "/next"], on: client) == ["first", "next"])
        #expect(!client.isReadable(within: .milliseconds(200)), "a second response reached the wire")
    }

    @Test func lateSecondAnswerIsIgnoredWhileNextRequestWaits() throws {
        let server = try TestServer(router: Self.doubleAnswerRouter())
        defer { server.stop() }
        let client = try server.connect()
        #expect(try Self.exchange(["/twice-late", "/slow", "/next"], on: client) == ["first", "slow", "next"])
        #expect(!client.isReadable(within: .milliseconds(200)), "a second response reached the wire")
    }

    @Test func secondAnswerIsIgnoredWhileAnEarlierRequestWaits() throws {
        let server = try TestServer(router: Self.doubleAnswerRouter())
        defer { server.stop() }
        let client = try server.connect()
        #expect(try Self.exchange(["/slow", "/twice", "/next"], on: client) == ["slow", "first", "next"])
        #expect(!client.isReadable(within: .milliseconds(200)), "a second response reached the wire")
    }
}
