import HTTP1
import HTTPServer
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Serving on a Unix domain socket, which is removed again at shutdown.
@Suite("Unix domain socket")
struct UnixSocketTests {
    @Test func servesOverUnixSocket() throws {
        var template = Array("/tmp/gw-test.XXXXXX".utf8CString)
        let directory = try #require(
            template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
                .map { String(cString: $0) })
        defer { rmdir(directory) }
        let path = directory + "/gw.sock"

        var router = HTTPRouter()
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
        let server = try TestServer(router: router, address: .unix(path: path))
        #expect(server.address == .unix(path: path))
        let client = try server.connect()
        try client.send(request("GET", "/healthz") + request("GET", "/healthz"))
        for _ in 0..<2 {
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == #"{"status":"ok"}"#)
        }
        client.close()
        #expect(server.stop())
        #expect(access(path, F_OK) != 0, "socket file left behind")
    }
}
