import HTTP1
import HTTPServer

/// Makes one self-contained HTML document from a page and its stylesheets and scripts: each
/// `<link rel="stylesheet" href="NAME">` and `<script src="NAME"></script>` of the page is
/// replaced by the named file's text, inline. The page then loads with one request, which
/// matters behind a bearer token: a browser sends no `Authorization` header for subresources.
/// The files stay real `.html`, `.css` and `.js` files that open from disk as they are.
enum PageAssembly {
    /// The document; a reference to a file not given, or a script that could close its own
    /// element early, stops the process at startup (the pages are part of the binary).
    static func inline(_ html: String, styles: [String: String] = [:], scripts: [String: String] = [:]) -> String {
        var document = html
        for (name, css) in styles {
            let tag = #"<link rel="stylesheet" href="\#(name)">"#
            precondition(document.contains(tag), "the page does not link \(name)")
            precondition(!css.contains("</style"), "\(name) contains </style")
            document = document.replacing(tag, with: "<style>\n" + css + "</style>")
        }
        for (name, javascript) in scripts {
            let tag = #"<script src="\#(name)"></script>"#
            precondition(document.contains(tag), "the page does not load \(name)")
            precondition(!javascript.contains("</script"), "\(name) contains </script")
            document = document.replacing(tag, with: "<script>\n" + javascript + "</script>")
        }
        return document
    }
}

extension HTTPRouter {
    /// Serves an assembled page at `GET path`, never cached: it shows live data.
    mutating func addPage(_ path: String, _ body: ArraySlice<UInt8>) {
        add(.GET, path) { _ in
            HTTPResponse(
                status: .ok, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"],
                body: body)
        }
    }
}
