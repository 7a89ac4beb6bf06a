import Foundation
import TestSupport

/// A keep-alive client for the gateway's JSON calls: it writes each request (`Host: gateway`,
/// a JSON body on anything but GET) and reads the answer over one `LoopbackClient`.
final class GatewayClient {
    typealias Response = HTTPTestResponse

    private let connection: LoopbackClient

    init(port: UInt16, receiveTimeout: TimeInterval = 15) throws {
        connection = try LoopbackClient(tcpPort: port, timeout: .milliseconds(Int(receiveTimeout * 1000)))
    }

    /// Sends one request without waiting for the answer.
    func send(_ method: String, _ path: String, body: String = "", headers: [String: String] = [:]) throws {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: gateway\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if method != "GET" { request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        try connection.send(request + "\r\n" + body)
    }

    /// Reads the next response.
    func receive() throws -> Response {
        try connection.readResponse()
    }

    func request(
        _ method: String, _ path: String, body: String = "", headers: [String: String] = [:]
    ) throws -> Response {
        try send(method, path, body: body, headers: headers)
        return try receive()
    }
}
