import Foundation
import HTTPServer
import Logging
import Simulator
import Testing

/// The real simulator answers its REST API over h2c with prior knowledge.
@Suite("Simulator over h2c")
struct SimulatorH2CTests {
    @Test func serverTimeOverH2C() throws {
        let simulator = SimulatorServer(
            exchange: SimulatedExchange(seed: 7), address: .tcp(host: "127.0.0.1", port: 0),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let address = try simulator.start()
        defer {
            let done = DispatchSemaphore(value: 0)
            simulator.shutdown { done.signal() }
            _ = done.wait(timeout: .now() + 5)
        }
        let (output, status) = try curl([
            "--http2-prior-knowledge", "-w", "|%{http_version} %{http_code}",
            "http://\(address.description)/fapi/v1/time",
        ])
        #expect(status == 0)
        #expect(output.hasPrefix(#"{"serverTime":"#))
        #expect(output.hasSuffix("|2 200"))
    }
}
