import Foundation
import Testing

@testable import Simulator

/// The fault settings' text forms (flag and admin body) and the error envelope, without sockets.
struct SimulatorFaultsTests {
    @Test func errorFlagParsesAndKeepsColonsInTheMessage() throws {
        let (method, answer) = try SimulatorFaults.parseError("depth=400:-1121:Invalid symbol: BTC")
        #expect(method == "depth")
        #expect(answer == SimulatorFaults.ErrorAnswer(status: 400, code: -1121, msg: "Invalid symbol: BTC"))
    }

    @Test(arguments: ["depth", "=400:-1:x", "depth=400:-1", "depth=abc:-1:x", "depth=400:x:y"])
    func malformedErrorFlagsAreRefused(_ text: String) {
        #expect(throws: SimulatorFaultsError.self) { try SimulatorFaults.parseError(text) }
    }

    @Test func defaultsAreOff() {
        #expect(SimulatorFaults().isNone)
        #expect(
            SimulatorFaults().json
                == #"{"clockOffsetMs":null,"delayMs":null,"dropAfter":null,"dropAfterExecuting":null,"dropStreams":false,"#
                + #""errorFor":{},"expireListenKeys":false,"pageFor":{},"refuseHandshakes":false,"reorder":null,"#
                + #""silent":false,"skipDepthEvents":null}"#)
    }

    @Test func adminBodyRoundTrips() throws {
        let body =
            #"{"dropAfter":3,"dropAfterExecuting":2,"delayMs":250,"reorder":4,"silent":true,"refuseHandshakes":true,"#
            + #""clockOffsetMs":-30000,"errorFor":{"depth":{"status":418,"code":-1003,"msg":"Way \"too\" many"},"#
            + #""order.place":{"status":503,"code":-1001,"msg":"x","executes":true}},"#
            + #""pageFor":{"/fapi/v1/leverage":{"status":502,"executes":true},"/fapi/v1/openOrders":{"status":403}}}"#
        let faults = try SimulatorFaults(json: Array(body.utf8))
        #expect(
            faults
                == SimulatorFaults(
                    dropAfter: 3, dropAfterExecuting: 2, delay: .milliseconds(250), reorder: 4,
                    errorFor: [
                        "depth": .init(status: 418, code: -1003, msg: #"Way "too" many"#),
                        "order.place": .init(status: 503, code: -1001, msg: "x", executes: true),
                    ],
                    pageFor: [
                        "/fapi/v1/leverage": .init(status: 502, executes: true),
                        "/fapi/v1/openOrders": .init(status: 403),
                    ],
                    silent: true, refuseHandshakes: true, clockOffset: .milliseconds(-30000)))
        #expect(try SimulatorFaults(json: Array(faults.json.utf8)) == faults)
        #expect(try SimulatorFaults(json: Array("{}".utf8)).isNone)
    }

    @Test(arguments: [
        #"[]"#, #"{"dropAfter":-1}"#, #"{"dropAfterExecuting":-1}"#, #"{"clockOffsetMs":"1"}"#, #"{"reorder":0}"#,
        #"{"delayMs":1.5}"#, #"{"silent":1}"#,
        #"{"unknown":1}"#, #"{"errorFor":{"depth":{"status":700,"code":-1,"msg":"x"}}}"#,
        #"{"errorFor":{"depth":{"status":400}}}"#, #"{"pageFor":{"/fapi/v1/leverage":{"status":99}}}"#,
        #"{"pageFor":{"/fapi/v1/leverage":{}}}"#,
    ])
    func invalidAdminBodiesAreRefused(_ body: String) {
        #expect(throws: SimulatorFaultsError.self) { try SimulatorFaults(json: Array(body.utf8)) }
    }

    @Test func errorEnvelopeKeepsTheRequestID() {
        let error = SimulatorFaults.ErrorAnswer(status: 400, code: -1121, msg: "Invalid symbol.")
        let number = FaultInjector.methodAndID(Array(#"{"id":42,"method":"depth","params":{}}"#.utf8))
        #expect(number.method == "depth" && number.id == "42")
        #expect(
            String(decoding: FaultInjector.envelope(id: number.id, error: error), as: UTF8.self)
                == #"{"id":42,"status":400,"error":{"code":-1121,"msg":"Invalid symbol."}}"#)
        let text = FaultInjector.methodAndID(Array(#"{"id":"a-1","method":"x"}"#.utf8))
        #expect(text.id == #""a-1""#)
        #expect(FaultInjector.methodAndID(Array("not json".utf8)) == (nil, "null"))
    }
}
