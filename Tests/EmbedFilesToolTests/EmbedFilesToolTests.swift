import Foundation
import Testing

@testable import embed_files

/// The embed-files tool: names from file names, raw literals that keep any text exactly, and the
/// YAML-to-JSON conversion of the contract.
@Suite struct EmbedFilesToolTests {
    @Test(arguments: [
        ("status.html", "statusHtml"), ("openapi.yaml", "openapiYaml"), ("status-page.v2.js", "statusPageV2Js"),
        ("9lives.css", "file9livesCss"),
    ])
    func aFileNameBecomesAnIdentifier(_ fileName: String, _ identifier: String) {
        #expect(SwiftSource.identifier(fileName) == identifier)
    }

    @Test(arguments: [
        "plain", #"a "quoted" \n text"#, "ends \"\"\"# here", ###"escape \# and \## and "#"###, "", "line\n",
    ])
    func aRawLiteralKeepsTheTextExactly(_ text: String) throws {
        let literal = SwiftSource.rawLiteral(text)
        let hashes = String(literal.prefix { $0 == "#" })
        let open = hashes + "\"\"\"\n"
        let close = "\n\"\"\"" + hashes
        #expect(literal.hasPrefix(open) && literal.hasSuffix(close))
        #expect(String(literal.dropFirst(open.count).dropLast(close.count)) == text)
        #expect(!text.contains("\"\"\"" + hashes) && !text.contains("\\" + hashes), "the delimiter appears in the text")
    }

    @Test func yamlBecomesJSONInTheSameOrder() throws {
        let yaml = """
            openapi: 3.1.0
            zeta: 1
            alpha: [true, null, 2.5, "07", text with "quotes"]
            "200": {}
            nested:
              - {b: 1, a: 2}
            """
        let json = try YAMLToJSON.convert(yaml)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["openapi"] as? String == "3.1.0")
        #expect(object["zeta"] as? Int == 1)
        let alpha = try #require(object["alpha"] as? [Any])
        #expect(
            alpha[0] as? Bool == true && alpha[1] is NSNull && alpha[2] as? Double == 2.5 && alpha[3] as? String == "07"
        )
        #expect(alpha[4] as? String == #"text with "quotes""#)
        #expect((object["200"] as? [String: Any])?.isEmpty == true)
        #expect(json.range(of: "\"zeta\"")!.lowerBound < json.range(of: "\"alpha\"")!.lowerBound, "mapping order kept")
        #expect(json.range(of: "\"b\"")!.lowerBound < json.range(of: "\"a\"")!.lowerBound)
    }
}
