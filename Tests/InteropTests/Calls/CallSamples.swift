import Foundation
import Pacing
import TestSupport

/// The requests and checks the call tests share.
enum CallSamples {
    static let order =
        #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"30000.0"}"#
    static let depth = "/v1/ws_futures_get_order_book?symbol=BTCUSDT&limit=5"

    /// A JSON answer's members; empty when the body is not an object.
    static func object(_ body: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }
}

extension Venue {
    /// Whether the gateway learned the simulator's REQUEST_WEIGHT limit (from exchangeInfo, at start).
    func gatewayKnowsWeightLimit(_ limit: Int) -> Bool {
        eventually {
            self.gateway.upstreams.limits.snapshot().contains {
                $0.rule.kind == .requestWeight && $0.rule.limit == limit
            }
        }
    }
}

extension GatewayClient {
    /// Sends `request` up to `attempts` times until an answer is not 200: how many were 200, and that answer.
    func untilRefused(
        attempts: Int, _ request: (GatewayClient) throws -> Response
    ) rethrows -> (answered: Int, refusal: Response?) {
        for answered in 0..<attempts {
            let response = try request(self)
            if response.status != 200 { return (answered, response) }
        }
        return (attempts, nil)
    }
}
