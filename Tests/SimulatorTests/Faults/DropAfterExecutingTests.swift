import Foundation
import Testing

@testable import Simulator

/// `dropAfterExecuting` against `dropAfter` through real sockets: the caught order exists in the
/// first case only, and a second connection can find out which happened.
@Suite struct DropAfterExecutingTests {
    /// One answered request, then `order.place` (caught by the fault), then `order.status` on a
    /// fresh connection. Returns the status answer.
    func placeThenAsk(
        _ faults: SimulatorFaults, clientOrderID: String
    ) throws -> (caught: String?, status: [String: Any]?) {
        let sim = try LoopbackSimulator(faults: SimulatorFaultSwitch(faults))
        let first = try sim.connect()
        #expect(
            first.call(#"{"id":1,"method":"ticker.price","params":{"symbol":"BTCUSDT"}}"#)?["status"] as? Int == 200)
        first.send(
            try sim.signedFrame(
                "order.place", id: "p",
                [
                    ("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                    ("quantity", "0.010"), ("price", sim.bestBid()), ("newClientOrderId", clientOrderID),
                ]))
        let caught = first.receive()
        #expect(sim.server.journal.webSocketRequests(method: "order.place").count == 1)
        let second = try sim.connect()
        let status = second.call(
            try sim.signedFrame(
                "order.status", id: "s",
                [
                    ("symbol", "BTCUSDT"), ("origClientOrderId", clientOrderID),
                ]))
        return (caught, status)
    }

    @Test func theCaughtRequestIsExecutedThenTheSocketDrops() throws {
        let (caught, status) = try placeThenAsk(SimulatorFaults(dropAfterExecuting: 1), clientOrderID: "exec-1")
        #expect(caught == nil, "no answer, the socket closed")
        let order = status?["result"] as? [String: Any]
        #expect(order?["clientOrderId"] as? String == "exec-1", "\(String(describing: status))")
        #expect(order?["status"] as? String == "NEW")
    }

    @Test func dropAfterDoesNotExecute() throws {
        let (caught, status) = try placeThenAsk(SimulatorFaults(dropAfter: 1), clientOrderID: "drop-1")
        #expect(caught == nil)
        #expect(errorCode(status) == -2013, "\(String(describing: status))")
    }
}
