import HTTP1
import HTTPServer
import Upstream

/// Turns an upstream outcome into the client's HTTP response.
///
/// Success is 200 with the upstream `result` bytes; an upstream error keeps the upstream's
/// status and its `{"code","msg"}` bytes. Neither is decoded or re-encoded.
enum UpstreamResponse {
    static func make(_ outcome: Result<UpstreamReply, UpstreamFailure>, transport: String = "ws") -> HTTPResponse {
        switch outcome {
        case .failure(let failure):
            var response = HTTPResponse.error(failure)
            response.headers.add("X-Gateway-Transport", transport)
            return response
        case .success(let reply):
            let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Gateway-Transport": transport]
            return HTTPResponse(status: HTTPStatus(code: reply.status), headers: headers, body: reply.body)
        }
    }
}
