import Testing

@testable import Gateway

/// The pages the binary serves are single documents: their stylesheet and script are inlined
/// (a browser sends no bearer token for subresources) and nothing is loaded from elsewhere.
@Suite struct PagesTests {
    static let pages: [(name: String, body: ArraySlice<UInt8>)] = [
        ("status", StatusPage.body), ("docs", DocsPage.body),
    ]

    @Test(arguments: pages.map(\.name))
    func aPageIsOneDocumentWithNothingFromElsewhere(_ name: String) throws {
        let body = try #require(Self.pages.first { $0.name == name }?.body)
        let html = String(decoding: body, as: UTF8.self)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<style>\n") && html.contains("<script>\n"))
        #expect(!html.contains("<link rel=\"stylesheet\""), "a stylesheet is still linked")
        #expect(!html.contains("<script src="), "a script is still loaded by reference")
        let external = html.firstMatch(
            of: /(src|href|action)=["']?(https?:)?\/\/|url\(\s*["']?(https?:)?\/\/|@import|fetch\(["'`]https?:/)
        #expect(external == nil, "loads from elsewhere: \(external.map { String($0.output.0) } ?? "")")
    }

    @Test func inliningReplacesEachReferenceWithItsFile() {
        let page = #"<head><link rel="stylesheet" href="a.css"></head><body><script src="a.js"></script></body>"#
        let document = PageAssembly.inline(page, styles: ["a.css": "p { }\n"], scripts: ["a.js": "run();\n"])
        #expect(document == "<head><style>\np { }\n</style></head><body><script>\nrun();\n</script></body>")
    }
}
