import Foundation
import Testing

@testable import Simulator

/// A REST session against a fresh simulator whose clock can be moved forward (through the
/// exchange's clock offset); signed requests are stamped with the moved time.
final class RESTClockSession {
    let server: RESTTestServer
    private(set) var offset: Int64 = 0
    var now: Int64 { RESTTestServer.now + offset }

    init(fundingIntervalMillis: Int64 = 8 * 3_600_000, faults: SimulatorFaultSwitch? = nil) throws {
        server = try RESTTestServer(seed: 42, fundingIntervalMillis: fundingIntervalMillis, faults: faults)
    }

    func advance(to time: Int64) {
        offset = time - RESTTestServer.now
        server.exchange.setClockOffset(millis: offset)
    }

    /// A signed request: the params in the query for GET, in a form body otherwise.
    func response(_ method: String, _ path: String, _ params: String = "") throws -> RESTTestClient.Response {
        let query = RESTTestServer.signed(params, timestamp: now)
        return method == "GET"
            ? try server.client.send("GET", path + "?" + query, apiKey: RESTTestServer.apiKey)
            : try server.client.send(method, path, apiKey: RESTTestServer.apiKey, body: query)
    }

    /// A signed request's JSON answer, expected to be 200.
    func send(_ method: String, _ path: String, _ params: String = "") throws -> Any? {
        let response = try response(method, path, params)
        #expect(response.status == 200, "\(method) \(path): \(response.body)")
        return response.json
    }

    func object(_ method: String, _ path: String, _ params: String = "") throws -> [String: Any] {
        try #require(try send(method, path, params) as? [String: Any])
    }

    func rows(_ path: String, _ params: String = "") throws -> [[String: Any]] {
        try #require(try send("GET", path, params) as? [[String: Any]])
    }

    static func decimal(_ value: Any?) -> Decimal { Decimal(string: value as? String ?? "") ?? .nan }

    func wallet() throws -> Decimal { Self.decimal(try object("GET", "/fapi/v3/account")["totalWalletBalance"]) }
}
