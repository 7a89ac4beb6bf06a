import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Opens many keep-alive connections, makes one request on each, then holds them idle until
/// stdin closes: scripts/bench reads the server's RSS meanwhile.
struct IdleClients: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle-clients",
        abstract: "Hold N idle keep-alive connections open.")

    @Option(help: "http://HOST:PORT/PATH requested once on each connection.")
    var url: String

    @Option(help: "Connections to open.")
    var connections: Int = 10_000

    func run() throws {
        BlockingSocket.raiseOpenFileLimit()
        let (host, port, target) = try BenchURL.split(url, scheme: "http")
        var clients: [KeepAliveHTTPClient] = []
        clients.reserveCapacity(connections)
        for _ in 0..<connections {
            let client = try KeepAliveHTTPClient(host: host, port: port)
            let response = try client.roundTrip(client.request(method: "GET", target: target, body: []))
            guard response.status == 200 else { throw ValidationError("status \(response.status)") }
            clients.append(client)
        }
        print(#"{"name":"idle-clients","connections":\#(clients.count)}"#)
        fflush(nil)
        // Hold until stdin closes (or a signal ends the process).
        var byte: UInt8 = 0
        while read(0, &byte, 1) > 0 {}
        withExtendedLifetime(clients) {}
    }
}
