import HTTPServer

/// `GET /docs`: every call of the contract, grouped as the contract tags them (market data,
/// account, orders, leverage and margin, then the gateway's own routes), with its parameters,
/// an example and a "try it" form that sends the request to this gateway and shows the answer
/// and its headers. `docs.html`, `docs.css` and `docs.js` beside this file, embedded at build
/// time; the script reads `/openapi.json`, so nothing outside the binary is needed.
/// Behind a bearer token the page needs it like every route (a browser must send the header);
/// a token given as `/docs#token=<token>` is also sent by the page's own requests.
enum DocsPage {
    static func add(to router: inout HTTPRouter) {
        router.addPage("/docs", body)
    }

    /// The assembled page's bytes, made once.
    static let body = Array(
        PageAssembly.inline(
            EmbeddedFiles.docsHtml, styles: ["docs.css": EmbeddedFiles.docsCss],
            scripts: ["docs.js": EmbeddedFiles.docsJs]
        ).utf8)[...]
}
