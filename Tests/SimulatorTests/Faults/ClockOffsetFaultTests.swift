import Foundation
import TestSupport
import Testing

@testable import Simulator

/// The clock-skew fault through real sockets: it moves `serverTime`, the timestamp checks and
/// order times, and a change through the switch (or the admin route) applies at once.
@Suite struct ClockOffsetFaultTests {
    func serverTime(_ sim: LoopbackSimulator) throws -> Int64? {
        let answer = try sim.rest.send("GET", "/fapi/v1/time")
        return ((answer.json as? [String: Any])?["serverTime"] as? NSNumber)?.int64Value
    }

    func balance(_ sim: LoopbackSimulator, _ socket: LoopbackWebSocket, timestamp: Int64) throws -> [String: Any]? {
        socket.call(try sim.signedFrame("v2/account.balance", id: "b", [], timestamp: timestamp))
    }

    @Test func anOffsetMovesEveryClockReading() throws {
        let faults = SimulatorFaultSwitch(SimulatorFaults(clockOffset: .seconds(30)))
        let sim = try LoopbackSimulator(faults: faults)
        #expect(sim.exchange.clockOffsetMillis == 30_000)
        #expect(try serverTime(sim) == sim.now + 30_000)
        let socket = try sim.connect()
        let status = socket.call(#"{"id":1,"method":"session.status"}"#)?["result"] as? [String: Any]
        #expect((status?["serverTime"] as? NSNumber)?.int64Value == sim.now + 30_000)

        // Our clock 30 s behind the exchange's: outside the 5 s recvWindow.
        #expect(errorCode(try balance(sim, socket, timestamp: sim.now)) == -1021)
        #expect(try balance(sim, socket, timestamp: sim.now + 30_000)?["status"] as? Int == 200)

        let placed = socket.call(
            try sim.signedFrame(
                "order.place", id: "o",
                [
                    ("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                    ("quantity", "0.010"), ("price", sim.bestBid()),
                ], timestamp: sim.now + 30_000))
        let order = placed?["result"] as? [String: Any]
        #expect((order?["updateTime"] as? NSNumber)?.int64Value == sim.now + 30_000, "\(String(describing: placed))")
    }

    @Test func changingTheSwitchAppliesAtOnce() throws {
        let faults = SimulatorFaultSwitch()
        let sim = try LoopbackSimulator(faults: faults)
        let socket = try sim.connect()
        #expect(try balance(sim, socket, timestamp: sim.now)?["status"] as? Int == 200)

        faults.replace(with: SimulatorFaults(clockOffset: .seconds(-30)))
        #expect(try serverTime(sim) == sim.now - 30_000)
        // Now our timestamps are 30 s ahead of the exchange: "1000ms ahead of the server's time".
        #expect(errorCode(try balance(sim, socket, timestamp: sim.now)) == -1021)
        #expect(try balance(sim, socket, timestamp: sim.now - 30_000)?["status"] as? Int == 200)

        faults.replace(with: SimulatorFaults())
        #expect(try serverTime(sim) == sim.now)
        #expect(try balance(sim, socket, timestamp: sim.now)?["status"] as? Int == 200)
    }

    @Test func theAdminRouteSetsTheOffset() throws {
        let sim = try LoopbackSimulator(faults: SimulatorFaultSwitch(adminEnabled: true))
        let set = try sim.rest.send("POST", "/admin/faults", body: #"{"clockOffsetMs":-1500}"#)
        #expect(set.status == 200 && set.body.contains(#""clockOffsetMs":-1500"#), "\(set.body)")
        #expect(try serverTime(sim) == sim.now - 1500)
        let shown = try sim.rest.send("GET", "/admin/faults")
        #expect(shown.body.contains(#""clockOffsetMs":-1500"#))
        _ = try sim.rest.send("POST", "/admin/faults", body: "{}")
        #expect(try serverTime(sim) == sim.now)
    }
}
