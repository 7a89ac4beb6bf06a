import HTTP1
import HTTPServer

/// `GET /`: a live status page in plain HTML, CSS and JavaScript, with no external assets.
///
/// The page reads `/metrics` and `/readyz` once a second and shows upstream state, calls in
/// flight, request rate, latency percentiles and rate-limit headroom. Behind a bearer token,
/// open it as `/#token=<token>`: the script sends the token with its own requests.
enum StatusPage {
    static func add(to router: inout HTTPRouter) {
        router.add(.GET, "/") { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"],
                         body: Array(html.utf8))
        }
    }

    static let html = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>futures-gateway</title>
    <style>
    \(StatusPageStyle.css)
    </style>
    </head>
    <body>
    <header><h1>futures-gateway</h1><span id="state" class="badge">loading…</span><span id="updated"></span></header>
    <main>
    <section><h2>Upstream</h2><dl>
    <dt>WebSocket</dt><dd id="ws-connected">–</dd>
    <dt>REST</dt><dd id="rest-protocol">–</dd>
    <dt>Session logon</dt><dd id="session">–</dd>
    <dt>Clock offset (ms)</dt><dd id="clock-offset">–</dd>
    <dt>Connects</dt><dd id="connects">–</dd>
    <dt>Reconnects</dt><dd id="reconnects">–</dd>
    <dt>Rotations</dt><dd id="rotations">–</dd>
    </dl></section>
    <section><h2>Calls</h2><dl>
    <dt>Answered</dt><dd id="requests-total">–</dd>
    <dt>Per second</dt><dd id="request-rate">–</dd>
    <dt>In flight</dt><dd id="in-flight">–</dd>
    <dt>Upstream in flight</dt><dd id="upstream-in-flight">–</dd>
    <dt>Local 429s</dt><dd id="local-429">–</dd>
    </dl></section>
    <section><h2>Latency (ms, at most)</h2><dl>
    <dt>p50</dt><dd id="p50">–</dd>
    <dt>p90</dt><dd id="p90">–</dd>
    <dt>p99</dt><dd id="p99">–</dd>
    </dl></section>
    <section><h2>Rate limits</h2><table><thead><tr><th>Limit</th><th>Used</th><th>Of</th><th>Headroom</th></tr></thead>
    <tbody id="limits"></tbody></table></section>
    </main>
    <script>
    \(StatusPageScript.javascript)
    </script>
    </body>
    </html>
    """
}
