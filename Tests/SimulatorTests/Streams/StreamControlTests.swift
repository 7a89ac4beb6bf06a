import Foundation
import TestSupport
import Testing

@testable import Simulator

/// The live control messages of a market-stream connection, over a real socket: the exchange's
/// replies, its error codes, and its limits (1024 streams, 10 incoming messages a second).
@Suite struct StreamControlTests {
    @Test func subscribeListAndPropertiesAnswerAsTheExchangeDoes() throws {
        let simulator = try LoopbackSimulator()
        let socket = try LoopbackWebSocket(port: simulator.port, path: "/public/ws/btcusdt@depth")
        #expect(
            socket.call(#"{"method":"SUBSCRIBE","params":["ethusdt@bookTicker","btcusdt@depth"],"id":1}"#)?["id"]
                as? Int == 1)
        let listed = socket.call(#"{"method":"LIST_SUBSCRIPTIONS","id":3}"#)
        #expect(
            listed?["result"] as? [String] == ["btcusdt@depth", "ethusdt@bookTicker"] && listed?["id"] as? Int == 3)
        #expect(socket.call(#"{"method":"GET_PROPERTY","params":["combined"],"id":2}"#)?["result"] as? Bool == false)
        let set = socket.call(#"{"method":"SET_PROPERTY","params":["combined",true],"id":5}"#)
        #expect(set?.keys.sorted() == ["id", "result"] && set?["result"] is NSNull)
        #expect(
            socket.call(#"{"method":"GET_PROPERTY","params":["combined"],"id":"a-uuid"}"#)?["result"] as? Bool == true)
        _ = socket.call(#"{"method":"UNSUBSCRIBE","params":["btcusdt@depth"],"id":312}"#)
        #expect(
            socket.call(#"{"method":"LIST_SUBSCRIPTIONS","id":4}"#)?["result"] as? [String] == ["ethusdt@bookTicker"])
    }

    @Test(arguments: [
        (#"{"method":"SET_PROPERTY","params":["compressed",true],"id":1}"#, 0, "Unknown property"),
        (#"{"method":"SET_PROPERTY","params":["combined","yes"],"id":1}"#, 1, "Invalid value type: expected Boolean"),
        (#"{"method":"SET_PROPERTY","params":[5,true],"id":1}"#, 2, "Invalid request: property name must be a string"),
        (
            #"{"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":-1}"#, 2,
            "Invalid request: request ID must be an unsigned integer"
        ),
        (#"{"method":"PING","id":1}"#, 2, "Invalid request: unknown variant `PING`"),
        (#"{"params":[],"id":1}"#, 2, "Invalid request: missing field `method`"),
        (#"{"method":"GET_PROPERTY","params":["combined",1],"id":1}"#, 2, "Invalid request: too many parameters"),
        (#"{"method":"SUBSCRIBE","params":["a/b"],"id":1}"#, 2, "Invalid request: invalid stream name"),
        (#"{"method":"SUBSCRIBE""#, 3, "Invalid JSON"),
    ])
    func badRequestsGetTheExchangesErrorCodes(_ request: String, _ code: Int, _ message: String) throws {
        let simulator = try LoopbackSimulator()
        let socket = try LoopbackWebSocket(port: simulator.port, path: "/market/stream?streams=btcusdt@aggTrade")
        let answer = try #require(socket.call(request))
        let error = try #require(answer["error"] as? [String: Any], "\(answer)")
        #expect(error["code"] as? Int == code)
        #expect((error["msg"] as? String)?.hasPrefix(message) == true, "\(error)")
        #expect(socket.call(#"{"method":"LIST_SUBSCRIPTIONS","id":9}"#)?["result"] as? [String] == ["btcusdt@aggTrade"])
    }

    @Test func aConnectionHoldsAtMost1024Streams() throws {
        let simulator = try LoopbackSimulator()
        let socket = try LoopbackWebSocket(port: simulator.port, path: "/market/ws")
        let names = (0..<1024).map { "\"s\($0)usdt@aggTrade\"" }.joined(separator: ",")
        #expect(socket.call(#"{"method":"SUBSCRIBE","params":[\#(names)],"id":1}"#)?["result"] is NSNull)
        let over = socket.call(#"{"method":"SUBSCRIBE","params":["btcusdt@markPrice"],"id":2}"#)
        #expect(
            (over?["error"] as? [String: Any])?["code"] as? Int == 2 && over?["id"] as? Int == 2,
            "\(String(describing: over))")
        #expect((socket.call(#"{"method":"LIST_SUBSCRIPTIONS","id":3}"#)?["result"] as? [String])?.count == 1024)
    }

    @Test func anEleventhMessageWithinASecondClosesTheConnection() throws {
        let simulator = try LoopbackSimulator()  // its clock stands still: every message is in the same second
        let socket = try LoopbackWebSocket(port: simulator.port, path: "/public/ws")
        for id in 0..<10 { #expect(socket.call(#"{"method":"LIST_SUBSCRIPTIONS","id":\#(id)}"#)?["id"] as? Int == id) }
        socket.send(#"{"method":"LIST_SUBSCRIPTIONS","id":10}"#)
        #expect(socket.receive() == nil, "closed instead of answered")
    }

    @Test(arguments: ["/public/ws/btc%20usdt", "/market/stream?streams=a//b"])
    func anInvalidStreamNameInThePathIsRefused(_ path: String) throws {
        let simulator = try LoopbackSimulator()
        #expect(throws: LoopbackWebSocket.Failure.self) { try LoopbackWebSocket(port: simulator.port, path: path) }
    }
}
