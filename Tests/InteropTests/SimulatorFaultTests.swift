import Dispatch
import Foundation
import HTTPServer
import Simulator
import Synchronization
import TestSupport
import Testing
import Upstream

#if canImport(Glibc)
import Glibc
#endif

/// Our real upstream client (`WebSocketConnector` + `UpstreamMultiplexer`) against the
/// in-process simulator with each fault switched on.
@Suite(.serialized) struct SimulatorFaultTests {
    /// Three answers per connection, then the socket drops on the fourth request: every
    /// read-only call still succeeds, the caught ones retried on a new connection.
    @Test func dropAfterReconnectsAndRetriesReadOnlyCalls() throws {
        let simulator = try FaultySimulator(SimulatorFaults(dropAfter: 3))
        defer { simulator.stop() }
        let multiplexer = interopMultiplexer(try simulator.connector())
        defer { multiplexer.faultTestShutdown() }
        for index in 0..<9 {
            let answer = multiplexer.interopCall(faultTickerRequest("BTCUSDT"))
            guard case .success(let reply)? = answer else {
                Issue.record("call \(index): \(String(describing: answer))")
                continue
            }
            #expect(reply.status == 200, "call \(index)")
        }
        #expect(multiplexer.interopStatus?.reconnects == 2, "dropped on calls 4 and 7")
        // The fourth request on the third connection: caught by the drop.
        let placed = multiplexer.interopCall(interopRequest("order.place", params: "{}", effect: .stateChanging))
        if case .failure(.disconnected(let unknown))? = placed {
            #expect(unknown, "a state-changing call caught by the drop is not retried")
        } else {
            Issue.record("order.place: \(String(describing: placed))")
        }
    }

    @Test func delayHoldsEveryAnswer() throws {
        let simulator = try FaultySimulator(SimulatorFaults(delay: .milliseconds(300)))
        defer { simulator.stop() }
        let multiplexer = interopMultiplexer(try simulator.connector())
        defer { multiplexer.faultTestShutdown() }
        for _ in 0..<2 {
            let start = ContinuousClock.now
            let answer = multiplexer.interopCall(faultTickerRequest("ETHUSDT"))
            let elapsed = ContinuousClock.now - start
            guard case .success(let reply)? = answer else {
                Issue.record("\(String(describing: answer))")
                continue
            }
            #expect(reply.status == 200)
            #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(2), "answered after \(elapsed)")
        }
    }

    /// Batches of five come back reversed on the wire; the multiplexer still gives each
    /// request its own answer (matched by id).
    @Test func reorderedAnswersAreMatchedByID() throws {
        let simulator = try FaultySimulator(SimulatorFaults(reorder: 5))
        defer { simulator.stop() }
        let probe = InteropLinkProbe(try simulator.connector())
        guard case .success? = probe.connected() else {
            Issue.record("probe did not connect")
            return
        }
        for id in 1...5 { probe.send(#"{"id":\#(id),"method":"ticker.price","params":{"symbol":"BTCUSDT"}}"#) }
        #expect(eventually { probe.frames.count == 5 })
        let ids = probe.frames.map { interopObject($0[...])?["id"] as? Int }
        #expect(ids == [5, 4, 3, 2, 1])
        probe.close()

        let multiplexer = interopMultiplexer(try simulator.connector())
        defer { multiplexer.faultTestShutdown() }
        let symbols = ["BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT"]
        let outcomes = InteropOutcomes()
        for index in 0..<20 {
            multiplexer.submit(faultTickerRequest(symbols[index % 5]), completion: outcomes.completion(index))
        }
        #expect(eventually { outcomes.count == 20 })
        for index in 0..<20 {
            guard case .success(let reply)? = outcomes[index] else {
                Issue.record("\(index): \(String(describing: outcomes[index]))")
                continue
            }
            #expect(interopObject(reply.body)?["symbol"] as? String == symbols[index % 5], "request \(index)")
        }
    }

    @Test func chosenErrorReachesTheClientAsIs() throws {
        let error = SimulatorFaults.ErrorAnswer(status: 418, code: -1003, msg: "Way too many requests; IP banned.")
        let simulator = try FaultySimulator(SimulatorFaults(errorFor: ["depth": error]))
        defer { simulator.stop() }
        let multiplexer = interopMultiplexer(try simulator.connector())
        defer { multiplexer.faultTestShutdown() }
        guard case .success(let reply)? = multiplexer.interopCall(interopRequest("depth")) else {
            Issue.record("no answer")
            return
        }
        #expect(reply.status == 418)
        #expect(
            String(decoding: reply.body, as: UTF8.self) == #"{"code":-1003,"msg":"Way too many requests; IP banned."}"#)
        guard case .success(let other)? = multiplexer.interopCall(faultTickerRequest("BTCUSDT")) else {
            Issue.record("no answer")
            return
        }
        #expect(other.status == 200, "other methods are untouched")
    }

    /// The simulator goes silent (no answers, no pongs): the client hears nothing for
    /// `deadAfter`, declares it dead and reconnects; once the fault is off, calls succeed again.
    @Test func silentPeerIsDeclaredDeadAndReplaced() throws {
        let simulator = try FaultySimulator(SimulatorFaults())
        defer { simulator.stop() }
        let connector = try simulator.connector(pingInterval: .milliseconds(100), deadAfter: .milliseconds(500))
        let multiplexer = interopMultiplexer(connector)
        defer { multiplexer.faultTestShutdown() }
        guard case .success? = multiplexer.interopCall(faultTickerRequest("BTCUSDT")) else {
            Issue.record("no answer")
            return
        }
        #expect(multiplexer.interopStatus?.reconnects == 0)

        simulator.faults.replace(with: SimulatorFaults(silent: true))
        let start = ContinuousClock.now
        #expect(eventually(.seconds(3)) { (multiplexer.interopStatus?.reconnects ?? 0) >= 1 })
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(2), "declared dead after \(elapsed)")

        simulator.faults.replace(with: SimulatorFaults())
        #expect(eventually(.seconds(3)) { multiplexer.interopStatus?.connected == true })
        guard case .success(let reply)? = multiplexer.interopCall(faultTickerRequest("BTCUSDT")) else {
            Issue.record("no answer")
            return
        }
        #expect(reply.status == 200)
    }

    @Test func refusedHandshakeIs503() throws {
        let simulator = try FaultySimulator(SimulatorFaults(refuseHandshakes: true))
        defer { simulator.stop() }
        let refused = InteropLinkProbe(try simulator.connector()).connected()
        guard case .failure(let error)? = refused else {
            Issue.record("connected: \(String(describing: refused))")
            return
        }
        #expect("\(error)".contains("503"), "\(error)")
        simulator.faults.replace(with: SimulatorFaults())
        let accepted = InteropLinkProbe(try simulator.connector())
        guard case .success? = accepted.connected() else {
            Issue.record("not connected once the fault is off")
            return
        }
        accepted.close()
    }

    @Test func adminEndpointExistsOnlyWhenEnabled() throws {
        for faults in [nil, SimulatorFaultSwitch(SimulatorFaults(delay: .milliseconds(1)))] {
            let simulator = try FaultySimulator(switch: faults)
            defer { simulator.stop() }
            let client = try GatewayClient(port: simulator.port)
            #expect(try client.request("GET", "/admin/faults").status == 404)
            #expect(try client.request("POST", "/admin/faults", body: "{}").status == 404)
        }
    }

    @Test func adminEndpointReplacesTheFaults() throws {
        let simulator = try FaultySimulator(switch: SimulatorFaultSwitch(adminEnabled: true))
        defer { simulator.stop() }
        let admin = try GatewayClient(port: simulator.port)
        let shown = try admin.request("GET", "/admin/faults")
        #expect(shown.status == 200 && shown.body == SimulatorFaults().json)

        let multiplexer = interopMultiplexer(try simulator.connector())
        defer { multiplexer.faultTestShutdown() }
        guard case .success(let before)? = multiplexer.interopCall(interopRequest("depth")) else {
            Issue.record("no answer")
            return
        }
        #expect(before.status == 200)

        let body = #"{"errorFor":{"depth":{"status":400,"code":-1121,"msg":"Invalid symbol."}}}"#
        let replaced = try admin.request("POST", "/admin/faults", body: body)
        #expect(replaced.status == 200)
        #expect(try admin.request("GET", "/admin/faults").body.contains(#""depth":{"status":400,"code":-1121"#))
        guard case .success(let after)? = multiplexer.interopCall(interopRequest("depth")) else {
            Issue.record("no answer")
            return
        }
        #expect(
            after.status == 400
                && String(decoding: after.body, as: UTF8.self) == #"{"code":-1121,"msg":"Invalid symbol."}"#)

        let refused = try admin.request("POST", "/admin/faults", body: #"{"reorder":0}"#)
        #expect(refused.status == 400 && refused.body.contains("reorder"), "\(refused.body)")
        #expect(try admin.request("POST", "/admin/faults", body: "{}").status == 200)
        guard case .success(let cleared)? = multiplexer.interopCall(interopRequest("depth")) else {
            Issue.record("no answer")
            return
        }
        #expect(cleared.status == 200)
    }
}

/// The `simulator --fault-…` flags, on the built executable.
@Suite(.serialized) struct SimulatorFaultFlagTests {
    @Test func malformedErrorFlagIsRefused() throws {
        let process = try faultCLI(["simulator", "--fault-error", "depth"])
        let status = process.waitForExit(within: .seconds(60))
        #expect(status != nil && status != 0)
        // The reading thread may still be draining the pipe when the process has exited.
        #expect(eventually(.seconds(5)) { process.text.contains("METHOD=STATUS:CODE:MSG") }, "\(process.text)")
    }

    @Test func flagsSetTheFaultsShownByTheAdminRoute() throws {
        let process = try faultCLI([
            "simulator", "--listen", "127.0.0.1:0", "--fault-admin", "--fault-delay-ms", "5",
            "--fault-reorder", "2", "--fault-error", "depth=400:-1121:Invalid symbol.",
        ])
        defer { process.send(SIGKILL) }
        let port = try listeningPort(process)
        let shown = try GatewayClient(port: port).request("GET", "/admin/faults")
        #expect(shown.status == 200)
        #expect(
            shown.body == #"{"clockOffsetMs":null,"delayMs":5,"dropAfter":null,"dropAfterExecuting":null,"#
                + #""dropStreams":false,"errorFor":{"depth":{"status":400,"code":-1121,"msg":"Invalid symbol.","executes":false}},"#
                + #""expireListenKeys":false,"pageFor":{},"refuseHandshakes":false,"#
                + #""reorder":2,"silent":false,"skipDepthEvents":null}"#)
    }

    /// A negative offset is a value, not a flag; both new faults reach the admin view.
    @Test func clockOffsetAndDropAfterExecutingFlags() throws {
        let process = try faultCLI([
            "simulator", "--listen", "127.0.0.1:0", "--fault-admin",
            "--fault-clock-offset-ms", "-30000", "--fault-drop-after-executing", "2",
        ])
        defer { process.send(SIGKILL) }
        let port = try listeningPort(process)
        let shown = try GatewayClient(port: port).request("GET", "/admin/faults")
        #expect(shown.body.hasPrefix(#"{"clockOffsetMs":-30000,"#), "\(shown.body)")
        #expect(shown.body.contains(#""dropAfterExecuting":2,"#), "\(shown.body)")
    }
}

/// `futures-gateway` as a child process, its standard error collected.
private func faultCLI(_ arguments: [String]) throws -> ChildProcess {
    try ChildProcess(try ChildProcess.builtExecutable("futures-gateway"), arguments, capturing: .standardError)
}

/// The port of the simulator's `simulator listening on ws://127.0.0.1:PORT` line, once it came.
private func listeningPort(_ process: ChildProcess) throws -> UInt16 {
    let prefix = "simulator listening on ws://127.0.0.1:"
    #expect(eventually(.seconds(10)) { process.text.contains(prefix) }, "\(process.text)")
    let rest = try #require(process.text.components(separatedBy: prefix).last)
    return try #require(UInt16(rest.prefix { $0.isNumber }))
}

/// An in-process simulator on an ephemeral port, with a fault switch.
private final class FaultySimulator {
    let server: SimulatorServer
    let faults: SimulatorFaultSwitch
    let port: UInt16
    let url: String

    convenience init(_ faults: SimulatorFaults) throws {
        try self.init(switch: SimulatorFaultSwitch(faults))
    }

    /// `nil` builds the simulator exactly as without fault injection.
    init(switch faults: SimulatorFaultSwitch?) throws {
        self.faults = faults ?? SimulatorFaultSwitch()
        server = SimulatorServer(
            exchange: SimulatedExchange(seed: 5), address: .tcp(host: "127.0.0.1", port: 0),
            faults: faults, logger: interopLogger)
        let bound = try server.start()
        guard case .tcp(_, let port) = bound, let url = SimulatorServer.webSocketURL(for: bound) else {
            fatalError("not a TCP address")
        }
        self.port = port
        self.url = url
    }

    func connector(
        pingInterval: Duration = .seconds(30), deadAfter: Duration = .seconds(60)
    ) throws -> WebSocketConnector {
        try WebSocketConnector(
            url: url, connectTimeout: .seconds(2), pingInterval: pingInterval, deadAfter: deadAfter,
            logger: interopLogger)
    }

    func stop() {
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        _ = done.wait(timeout: .now() + 5)
    }
}

/// `ticker.price` for one symbol: its answer names the symbol, so a mismatch shows.
private func faultTickerRequest(_ symbol: String) -> UpstreamRequest {
    interopRequest("ticker.price", params: #"{"symbol":"\#(symbol)"}"#)
}

extension UpstreamMultiplexer {
    /// Shuts down and waits (on the thread) for it to finish.
    fileprivate func faultTestShutdown() {
        let done = DispatchSemaphore(value: 0)
        shutdown { done.signal() }
        _ = done.wait(timeout: .now() + 5)
    }
}
