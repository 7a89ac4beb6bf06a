import HTTPServer

/// `GET /`: a live status page in plain HTML, CSS and JavaScript (`status.html`, `status.css`,
/// `status.js` beside this file, embedded at build time), with no external assets.
///
/// The page reads `/metrics`, `/readyz` and `/status.json` every two seconds: upstream state,
/// calls in flight, latency percentiles, rate-limit headroom, line charts of the last 15 minutes
/// (answers per second, p50/p99, rate-limit use), a per-call table, the last errors with their
/// request ids, the connection's events and, in simulation, the paper account. Behind a bearer
/// token, open it as `/#token=<token>`: the script sends the token with its own requests.
enum StatusPage {
    static func add(to router: inout HTTPRouter) {
        router.addPage("/", body)
    }

    /// The assembled page's bytes, made once.
    static let body = Array(
        PageAssembly.inline(
            EmbeddedFiles.statusHtml, styles: ["status.css": EmbeddedFiles.statusCss],
            scripts: ["status.js": EmbeddedFiles.statusJs]
        ).utf8)[...]
}
