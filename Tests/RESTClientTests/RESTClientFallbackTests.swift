import Foundation
import HTTP1
import HTTPServer
import RESTClient
import RequestWindow
import Testing

/// `auto` against a server that speaks only HTTP/1.1; `h2` against the same server.
@Suite struct RESTClientFallbackTests {
    /// Our HTTP server without `enablingH2C()`, answering /fapi/v1/time.
    private func http1OnlyServer() throws -> (HTTPServer, String) {
        var router = HTTPRouter()
        router.add(.GET, "/fapi/v1/time") { _ in HTTPResponse.json(.ok, #"{"serverTime":1}"#) }
        router.add(.POST, "/fapi/v1/echo") { request in
            HTTPResponse.json(
                .ok,
                #"{"body":"\#(String(decoding: request.body, as: UTF8.self))","type":"\#(request.headers["content-type"] ?? "")","agent":"\#(request.headers["user-agent"] ?? "")"}"#
            )
        }
        let server = HTTPServer(
            configuration: ServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0)),
            handler: router, logger: quietLogger)
        let address = try server.start()
        return (server, "http://\(address.description)")
    }

    private func stop(_ server: HTTPServer) {
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        _ = done.wait(timeout: .now() + 5)
    }

    @Test func autoFallsBackToHTTP1AndRemembersIt() throws {
        let (server, url) = try http1OnlyServer()
        defer { stop(server) }
        let client = try RESTClient(baseURL: url, protocol: .auto, tls: nil, logger: quietLogger)
        defer { shutdownAndWait(client) }

        #expect(call(client, restRequest("/fapi/v1/time")).flatMap { try? $0.get().status } == 200)
        #expect(client.status.protocolName == "http/1.1")
        guard
            case .success(let echo)? = call(
                client,
                restRequest(
                    "/fapi/v1/echo", method: .POST, effect: .stateChanging,
                    body: "symbol=BTCUSDT&side=BUY"))
        else {
            Issue.record("no answer to the POST")
            return
        }
        let text = String(decoding: echo.body, as: UTF8.self)
        #expect(text.contains(#""body":"symbol=BTCUSDT&side=BUY""#), "\(text)")
        #expect(text.contains(#""type":"application/x-www-form-urlencoded""#), "\(text)")
        #expect(text.contains(#""agent":"futures-gateway""#), "\(text)")
        #expect(client.status.connectionsOpened == 1)
    }

    @Test func h2ModeAgainstAnHTTP1ServerIsAConnectionError() throws {
        let (server, url) = try http1OnlyServer()
        defer { stop(server) }
        let client = try RESTClient(
            baseURL: url, protocol: .h2, tls: nil,
            configuration: RESTClientConfiguration(requestTimeout: .milliseconds(500)),
            logger: quietLogger)
        defer { shutdownAndWait(client) }
        guard case .failure(let failure)? = call(client, restRequest("/fapi/v1/time")) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure == .unavailable)
        #expect(client.status.connectionsOpened == 0)
    }
}
