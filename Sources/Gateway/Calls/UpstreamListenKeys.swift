import Catalog
import RawJSON
import Signing
import Streams
import Upstream

/// The stream hub's listen keys, from the shared upstream WebSocket: `userDataStream.start` for a
/// key, `userDataStream.ping` to keep it alive (apiKey only, no signature). Read-only for the
/// multiplexer's retries: asking twice returns the same key.
extension GatewayUpstreams {
    /// `nil` without credentials: there is no account to follow.
    public var listenKeySource: ListenKeySource? {
        guard let credentials else { return nil }
        let multiplexer = webSocket
        return ListenKeySource { kind, completion in
            let method = kind == .start ? "userDataStream.start" : "userDataStream.ping"
            let params = CallArguments([("apiKey", .text(credentials.apiKey))])
            let request = UpstreamRequest(method: method, effect: .readOnly) { id in
                WebSocketRequestEncoder.frame(id: id, method: method, params: params)
            }
            multiplexer.submit(request) { result in
                switch result {
                case .failure(let failure):
                    completion(.failure(failure))
                case .success(let reply):
                    guard reply.status == 200, let object = try? JSONObject(parsing: reply.body),
                        let key = object["listenKey"]?.string, !key.isEmpty
                    else {
                        return completion(
                            .failure(ListenKeyRefusal(text: String(decoding: reply.body.prefix(200), as: UTF8.self))))
                    }
                    completion(.success(key))
                }
            }
        }
    }
}

/// The upstream refused to give or extend a listen key; the text is its `{"code","msg"}`.
struct ListenKeyRefusal: Error, CustomStringConvertible {
    let text: String
    var description: String { "listen key refused: \(text)" }
}
