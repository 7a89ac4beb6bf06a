import HTTP1
import HTTPServer

/// Records each REST request (`/fapi/…`) in the journal, then hands it to the simulator's router.
/// The server has one for HTTP/1.x and one for its h2c connections, which names the protocol.
struct JournalingHandler: HTTPHandler {
    let router: HTTPRouter
    let journal: SimulatorJournal
    /// `"h2"` for the HTTP/2 side; `nil` records the request's own HTTP/1.x version.
    let protocolVersion: String?

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        if request.path.hasPrefix(RESTRoutes.prefix) {
            journal.recordREST(request, protocolVersion: protocolVersion ?? request.head.version.text)
        }
        router.handle(request, responder: responder)
    }
}
