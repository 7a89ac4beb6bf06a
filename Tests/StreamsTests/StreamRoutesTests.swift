import HTTP1
import HTTPServer
import Logging
import Streams
import Synchronization
import Testing

/// The stream routes' answers that need no upstream: requests they refuse before a stream starts.
@Suite struct StreamRoutesTests {
    private static func answer(_ target: String) -> HTTPResponse? {
        let hub = StreamHub(baseURL: "ws://127.0.0.1:9", logger: Logger(label: "test"), wallClock: { 0 })
        var router = HTTPRouter()
        StreamRoutes(hub: hub, logger: Logger(label: "test")).add(to: &router)
        let answered = Mutex<HTTPResponse?>(nil)
        // A responder that cannot hand its connection over, as an HTTP/2 stream's cannot.
        router.handle(
            HTTPRequest(head: HTTPRequestHead(method: .GET, target: target)),
            responder: HTTPResponder { response in answered.withLock { $0 = response } })
        hub.shutdown()
        return answered.withLock { $0 }
    }

    @Test func anEventStreamOnAConnectionThatCannotBeTakenOverIsRefusedNotLeftEmpty() throws {
        let response = try #require(Self.answer("/v1/events?streams=btcusdt@bookTicker"))
        #expect(response.status == .badRequest)
        #expect(String(decoding: response.body, as: UTF8.self).contains("streams need HTTP/1.1"))
    }

    @Test func anEventStreamWithoutStreamsIsRefusedFirst() throws {
        let response = try #require(Self.answer("/v1/events"))
        #expect(response.status == .badRequest)
        #expect(String(decoding: response.body, as: UTF8.self).contains("name at least one stream"))
    }
}
