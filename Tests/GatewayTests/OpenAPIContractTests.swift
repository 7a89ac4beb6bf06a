import Foundation
import Gateway
import Testing
import Yams

#if canImport(Glibc)
import Glibc
#endif

/// The contract built into the binary (by the EmbedFiles plugin) is `openapi.yaml` as it is in
/// the repository, its JSON form is the same document, and the gateway serves both.
@Suite struct OpenAPIContractTests {
    private static func canonicalJSON(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func theEmbeddedYAMLIsTheFile() throws {
        let file = try String(contentsOf: OpenAPIDocument.repositoryFile, encoding: .utf8)
        #expect(
            OpenAPIContract.yaml == file, "the embedded contract is not openapi.yaml: the EmbedFiles plugin did not run"
        )
    }

    @Test func theEmbeddedJSONIsTheYAMLDocument() throws {
        let fromYAML = try #require(try Yams.load(yaml: OpenAPIContract.yaml))
        let fromJSON = try JSONSerialization.jsonObject(with: Data(OpenAPIContract.json.utf8))
        #expect(
            try Self.canonicalJSON(fromJSON) == Self.canonicalJSON(fromYAML),
            "the embedded JSON does not match the YAML: embed-files converts it wrongly")
    }

    @Test func servesTheContractAsYAMLAndJSON() throws {
        let gateway = try GatewayProcess(["serve", "--listen", "127.0.0.1:0"])
        let url = try #require(gateway.listeningAddress(), "stderr: \(gateway.standardError)")
        let port = try #require(url.split(separator: ":").last.flatMap { UInt16($0) })
        let client = try WireConnection(tcpPort: port)
        try client.send("GET /openapi.yaml HTTP/1.1\r\nHost: \(client.host)\r\n\r\n")
        let yaml = try client.readResponse()
        #expect(yaml.status == 200)
        #expect(yaml.headers["content-type"] == "application/yaml; charset=utf-8")
        #expect(yaml.body == (try String(contentsOf: OpenAPIDocument.repositoryFile, encoding: .utf8)))
        try client.send("GET /openapi.json HTTP/1.1\r\nHost: \(client.host)\r\n\r\n")
        let json = try client.readResponse()
        #expect(json.status == 200)
        #expect(json.headers["content-type"] == "application/json")
        let document = try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any]
        #expect(document?["openapi"] as? String == "3.1.0")
        #expect((document?["paths"] as? [String: Any])?["/metrics"] != nil)
        client.close()
        gateway.send(SIGTERM)
        #expect(gateway.waitForExit() == 0)
    }
}
