import Catalog
import Foundation
import OpenSSL
import Simulator
import TestSupport
import Testing

/// Every call of the catalog, through the gateway to the simulator, exactly as the README's
/// curl commands make it: each command is run with the real `curl`, in the README's order.
/// For each one the test checks what the upstream received (method or path, the client's
/// parameters with their exact text, a valid signature) and what the client got back.
@Suite(.serialized) struct ReadmeCallTests {
    static let readme = RepositoryRoot.appending("docs/API.md")

    /// The curl lines between the README's `calls:begin` and `calls:end` markers.
    static func commands() throws -> [String] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let begin = text.range(of: "<!-- calls:begin -->"), let end = text.range(of: "<!-- calls:end -->") else {
            return []
        }
        return text[begin.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("curl ") }
    }

    @Test func theReadmeShowsEveryCall() throws {
        let commands = try Self.commands()
        for spec in CallCatalog.all {
            #expect(commands.contains { $0.contains("/v1/\(spec.name)") }, "no README example for \(spec.name)")
        }
    }

    /// openapi.yaml's POST operations take `application/json` only: a body goes with `--json`,
    /// which says so (a bare `-d` would send `application/x-www-form-urlencoded`).
    @Test func theReadmeSendsEveryBodyAsJSON() throws {
        for command in try Self.commands() where command.contains("'{") {
            #expect(
                command.contains(" --json '{") && !command.contains(" -d ") && !command.contains(" --data"),
                "\(command) does not send its body as application/json")
        }
    }

    @Test func everyReadmeCommandWorksAndReachesTheUpstreamAsSpecified() async throws {
        let venue = try Venue()
        let commands = try Self.commands()
        #expect(commands.count >= CallCatalog.all.count)
        for command in commands {
            let name = try #require(command.firstMatch(of: /\/v1\/([a-z0-9_]+)/)?.1).description
            let spec = try #require(CallCatalog.spec(named: name))
            let before = venue.journal.entries.last?.sequence ?? -1
            let output = try Shell.run(
                command.replacingOccurrences(of: "localhost:8080", with: "127.0.0.1:\(venue.port)") + " -i")
            let response = try #require(CurlResponse(output), "\(command): no response")
            #expect(response.status == 200, "\(command) → \(response.status) \(response.body)")
            #expect(
                (try? JSONSerialization.jsonObject(with: Data(response.body.utf8))) != nil, "\(name): body not JSON")
            let sent = venue.journal.entries.filter { $0.sequence > before }
            #expect(sent.count == 1, "\(name) sent \(sent.count) upstream requests")
            guard let entry = sent.first else { continue }
            try check(entry, for: spec, command: command, response: response, secret: venue.secret)
        }
        await venue.stop()
    }

    private func check(
        _ entry: JournalEntry, for spec: CallSpec, command: String, response: CurlResponse,
        secret: String
    ) throws {
        let clientParams = try Self.clientParams(command)
        let requestId = response.headers["x-request-id"] ?? ""
        #expect(requestId.count == 16 && requestId.allSatisfy(\.isHexDigit), "\(spec.name): X-Request-Id \(requestId)")
        switch entry {
        case .webSocket(let record):
            #expect(response.headers["x-gateway-transport"] == "ws", "\(spec.name)")
            let method = try #require(record.method)
            // The answer's rateLimits become Binance's REST usage headers.
            #expect(Int(response.headers["x-mbx-used-weight-1m"] ?? "") != nil, "\(spec.name): X-MBX-USED-WEIGHT-1M")
            if ["order.place", "order.modify", "algoOrder.place"].contains(method) {
                #expect(
                    Int(response.headers["x-mbx-order-count-10s"] ?? "") != nil, "\(spec.name): X-MBX-ORDER-COUNT-10S")
                #expect(
                    Int(response.headers["x-mbx-order-count-1m"] ?? "") != nil, "\(spec.name): X-MBX-ORDER-COUNT-1M")
            }
            if case .webSocket(let expected) = spec.target, !["algoOrder.place", "algoOrder.cancel"].contains(method) {
                #expect(method == expected, "\(spec.name) went to \(method)")
            }
            let params = record.params
            if method == "algoOrder.place", let stopPrice = clientParams.first(where: { $0.0 == "stopPrice" })?.1 {
                // python-binance's routing: a conditional type becomes an algo order, stopPrice its triggerPrice.
                #expect(record.param("algoType") == "CONDITIONAL", "\(spec.name): algoType")
                #expect(
                    record.param("triggerPrice") == stopPrice,
                    "\(spec.name): triggerPrice \(record.param("triggerPrice") ?? "none")")
                #expect(record.param("stopPrice") == nil, "\(spec.name): stopPrice sent as well")
            }
            for (key, raw) in clientParams
            where key != "stopPrice" && key != "newClientOrderId" || method == "order.place" {
                let upstreamKey = key == "orderid" ? "orderId" : key
                guard method != "algoOrder.cancel" || key != "symbol" else { continue }
                #expect(
                    params.contains { $0.key == upstreamKey && $0.raw == raw },
                    "\(spec.name): \(key)=\(raw) not sent as is")
            }
            if spec.security == .signed {
                let signature = try #require(record.param("signature"), "\(spec.name) unsigned")
                let payload = params.filter { $0.key != "signature" }
                    .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    .map { "\($0.key)=\($0.raw)" }.joined(separator: "&")
                #expect(
                    signature == Hex.encode(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(payload.utf8))))
            } else {
                #expect(
                    record.param("signature") == nil && record.param("apiKey") == nil,
                    "\(spec.name) carries credentials")
            }
        case .rest(let record):
            #expect(response.headers["x-gateway-transport"] == "rest", "\(spec.name)")
            guard case .rest(let method, let path) = spec.target else {
                Issue.record("\(spec.name) went to REST")
                return
            }
            #expect(
                record.method == method.rawValue && record.path == path,
                "\(spec.name) went to \(record.method) \(record.path)")
            #expect(record.protocolVersion == "h2", "\(spec.name) over \(record.protocolVersion)")
            for (key, raw) in clientParams {
                let value = raw.hasPrefix("\"") ? String(raw.dropFirst().dropLast()) : raw
                #expect(record.param(key) == value || key == "origClientOrderIdList", "\(spec.name): \(key)=\(value)")
            }
            if spec.security == .signed {
                let query = try #require(record.query)
                let range = try #require(query.range(of: "&signature="))
                let signature = String(query[range.upperBound...])
                #expect(
                    signature
                        == Hex.encode(
                            Digest.hmacSHA256(
                                key: Array(secret.utf8),
                                message: Array(query[..<range.lowerBound].utf8))))
                #expect(record.apiKey != nil)
            }
        }
    }

    /// The client's parameters as raw JSON text (strings with their quotes stripped), from
    /// the command's `-d` body or its query string.
    static func clientParams(_ command: String) throws -> [(String, String)] {
        if let body = command.firstMatch(of: /--json '([^']*)'/)?.1 {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            return object.compactMap { key, value in
                switch value {
                case let text as String: (key, text)
                case let number as NSNumber:
                    (
                        key,
                        body.firstMatch(of: try! Regex("\"\(key)\":([0-9.]+)"))
                            .map { String($0.output[1].substring ?? "") } ?? number.stringValue
                    )
                default: nil
                }
            }
        }
        guard let query = command.firstMatch(of: /\?([^']*)'/)?.1 else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }
}

/// `curl -i` output: status line, header fields, body.
struct CurlResponse {
    let status: Int
    let headers: [String: String]
    let body: String

    init?(_ output: String) {
        guard let split = output.range(of: "\r\n\r\n") else { return nil }
        let lines = output[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let first = lines.first, let status = Int(first.split(separator: " ").dropFirst().first ?? "") else {
            return nil
        }
        self.status = status
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        self.headers = headers
        body = String(output[split.upperBound...])
    }
}
