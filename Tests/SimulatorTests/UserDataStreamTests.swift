import Foundation
import OpenSSL
import Testing

@testable import Simulator

/// userDataStream.start/ping/stop: USER_STREAM security (API key, no signature) and the
/// official examples' shapes.
@Suite struct UserDataStreamTests {
    private let apiKey = "K" + SimulatorKeys.randomAlphanumerics(20)

    private func call(_ exchange: SimulatedExchange, _ method: String, key: String? = nil) throws -> [String: Any] {
        var params: [String: Any] = [:]
        if let key { params["apiKey"] = key }
        let frame = try JSONSerialization.data(withJSONObject: ["id": "u-1", "method": method, "params": params])
        return try FixtureShape.parse(exchange.handle(Array(frame)))
    }

    @Test(arguments: ["userDataStream.start", "userDataStream.ping", "userDataStream.stop"])
    func answersHaveTheOfficialShape(_ method: String) throws {
        let exchange = SimulatedExchange(seed: 1, keys: SimulatorKeys([apiKey: .hmac(secret: Array("s".utf8))]))
        if method != "userDataStream.start" { _ = try call(exchange, "userDataStream.start", key: apiKey) }
        let answer = try call(exchange, method, key: apiKey)
        let fixture = try FixtureShape.load("\(method).json")
        #expect(FixtureShape.of(answer) == FixtureShape.of(fixture["response"]!), "\(answer)")
        #expect(answer["status"] as? Int == 200)
    }

    @Test func aListenKeyIsKeptUntilStoppedAndNeedsAKnownAPIKey() throws {
        let exchange = SimulatedExchange(seed: 1, keys: SimulatorKeys([apiKey: .hmac(secret: Array("s".utf8))]))
        let first = try call(exchange, "userDataStream.start", key: apiKey)
        let again = try call(exchange, "userDataStream.start", key: apiKey)
        let key = (first["result"] as? [String: Any])?["listenKey"] as? String
        #expect(key?.count == 64 && (again["result"] as? [String: Any])?["listenKey"] as? String == key)
        #expect(
            (try call(exchange, "userDataStream.ping", key: apiKey)["result"] as? [String: Any])?["listenKey"]
                as? String == key)
        _ = try call(exchange, "userDataStream.stop", key: apiKey)
        let afterStop = try call(exchange, "userDataStream.ping", key: apiKey)
        #expect((afterStop["error"] as? [String: Any])?["code"] as? Int == -1125)
        let unknown = try call(exchange, "userDataStream.start", key: "nobody")
        #expect(unknown["status"] as? Int == 401 && (unknown["error"] as? [String: Any])?["code"] as? Int == -2015)
    }
}
