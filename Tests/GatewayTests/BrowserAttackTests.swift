import Foundation
import TestSupport
import Testing

/// A real browser (headless Chromium) on a page of another local origin tries every way a page
/// has to reach the gateway: `fetch` with `text/plain`, `no-cors` mode, JSON (which needs a
/// preflight), a form post, an `<img>` and a `<script>`. No order reaches the simulator. The
/// same page from an origin allowed with `--allow-origin` does place an order, so the browser
/// really reaches the gateway; and the status page on the gateway's own origin still works.
@Suite("a browser page against the gateway", .serialized)
struct BrowserAttackTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let order =
        #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"30000.0"}"#

    /// The page: each attempt's outcome ends up in `#out` once all have settled.
    static func page(gateway: String) -> String {
        let formName = String(Self.order.dropLast()) + #","x":""#
        return """
            <!doctype html><html><body><pre id="out">pending</pre>
            <iframe name="sink"></iframe>
            <form id="form" method="POST" action="\(gateway)/v1/ws_futures_create_order" target="sink" enctype="text/plain">
            <input name='\(formName)' value='"}'></form>
            <img src="\(gateway)/v1/ws_futures_get_open_orders?symbol=BTCUSDT">
            <script src="\(gateway)/v1/ws_futures_account_balance"></script>
            <script>
            const gw = "\(gateway)", order = '\(Self.order)', results = [];
            async function attempt(name, run) {
              try { const r = await run(); results.push(name + "=" + (r.type === "opaque" ? "opaque" : r.status)); }
              catch (e) { results.push(name + "=blocked"); }
            }
            (async () => {
              document.getElementById("form").submit();
              await attempt("textPlain", () => fetch(gw + "/v1/ws_futures_create_order",
                {method: "POST", headers: {"Content-Type": "text/plain"}, body: order}));
              await attempt("noCors", () => fetch(gw + "/v1/ws_futures_create_order",
                {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: order}));
              await attempt("json", () => fetch(gw + "/v1/ws_futures_create_order",
                {method: "POST", headers: {"Content-Type": "application/json"}, body: order}));
              await attempt("readBalance", () => fetch(gw + "/v1/ws_futures_account_balance"));
              await new Promise(done => setTimeout(done, 500));
              document.getElementById("out").textContent = "done " + results.join(" ");
            })();
            </script></body></html>
            """
    }

    /// The DOM Chromium ends with after loading `url`.
    private func render(_ browser: String, _ url: String) throws -> String {
        try Shell.run(
            "\(browser) --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
                + "--virtual-time-budget=5000 --dump-dom '\(url)' 2>/dev/null", timeout: 60)
    }

    @Test func aPageOfAnotherOriginPlacesNoOrder() throws {
        let browser = try #require(Self.chromium, "headless Chromium is needed: apt-get install chromium")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-page-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A static page server on its own port: one origin as localhost, another as 127.0.0.1.
        let pages = try ChildProcess(command: [
            "python3", "-u", "-c",
            """
            import http.server, functools, sys
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """, directory.path,
        ])
        defer { pages.send(SIGKILL) }
        let pagesPort = try #require(
            pages.waitForLine { _ in true }.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) })

        let allowed = "http://127.0.0.1:\(pagesPort)"
        let gateway = try GatewayProcess(["serve", "--listen", "127.0.0.1:0", "--allow-origin", allowed])
        defer { gateway.send(SIGKILL) }
        let url = try #require(gateway.listeningAddress(), "stderr: \(gateway.standardError)")
        let port = try #require(url.split(separator: ":").last.flatMap { UInt16($0) })
        func openOrders() throws -> Int {
            let client = try LoopbackClient(tcpPort: port)
            defer { client.close() }
            try client.send(
                "GET /v1/ws_futures_get_open_orders?symbol=BTCUSDT HTTP/1.1\r\nHost: \(client.host)\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200, "\(response.body)")
            return try #require(JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [Any]).count
        }
        #expect(eventually(.seconds(10)) { (try? openOrders()) != nil })
        try Self.page(gateway: url).write(
            to: directory.appendingPathComponent("page.html"), atomically: true, encoding: .utf8)

        let before = try openOrders()
        let attacked = try render(browser, "http://localhost:\(pagesPort)/page.html")
        let outcome = try #require(attacked.firstMatch(of: /<pre id="out">([^<]*)</)?.1).description
        #expect(outcome.hasPrefix("done "), "the page did not finish: \(attacked.prefix(500))")
        for blocked in ["textPlain=blocked", "json=blocked", "readBalance=blocked"] {
            #expect(outcome.contains(blocked), "\(outcome)")
        }
        #expect(try openOrders() == before, "a page of another origin placed an order: \(outcome)")

        let control = try render(browser, "\(allowed)/page.html")
        let controlOutcome = try #require(control.firstMatch(of: /<pre id="out">([^<]*)</)?.1).description
        #expect(controlOutcome.contains("json=200") && controlOutcome.contains("readBalance=200"), "\(controlOutcome)")
        #expect(try openOrders() == before + 1, "the allowed origin's JSON order: \(controlOutcome)")

        let status = try render(browser, url + "/")
        #expect(status.firstMatch(of: /id="state"[^>]*>ready</) != nil, "status page: \(status.prefix(400))")
    }
}
