import Dispatch
import EventLoops
import OpenSSL
import Transport

/// Opens one REST connection and settles its protocol: TLS with ALPN for `https`, the h2c
/// preface for `http`, HTTP/1.1 when the mode or the server asks for it.
///
/// `auto` over TLS follows the server's ALPN choice; over plain TCP it tries h2c and, when
/// the server does not answer with SETTINGS, connects again with HTTP/1.1 (nothing had been
/// sent). `h2` makes any refusal a connection error. Runs on, and completes on, `queue`.
struct RESTConnector: Sendable {
    /// Why no connection could be made.
    enum Failure: Error, CustomStringConvertible {
        case transport(TransportError)
        /// The server would not speak the protocol the mode requires.
        case protocolRefused(String)
        /// The connection was set up, but HTTP/2 did not start in time.
        case timedOut

        var description: String {
            switch self {
            case .transport(let error): "\(error)"
            case .protocolRefused(let reason): reason
            case .timedOut: "no HTTP/2 SETTINGS frame before the connect timeout"
            }
        }
    }

    typealias EventHandler = @Sendable (RESTConnectionEvent) -> Void
    typealias Completion = @Sendable (Result<any RESTConnection, Failure>) -> Void

    let endpoint: Endpoint
    let mode: RESTProtocol
    let tls: TLSClientContext?
    let configuration: RESTClientConfiguration
    let queue: DispatchQueue
    /// The loop whose queue `queue` is.
    var loop: EventLoop {
        guard let loop = EventLoop.owning(queue) else { preconditionFailure("the REST client runs on an event loop") }
        return loop
    }

    /// Connects; with `http1` true (a remembered fallback) skips the h2c attempt.
    func connect(http1: Bool, onEvent: @escaping EventHandler, completion: @escaping Completion) {
        let plainHTTP1 = !endpoint.isSecure && (mode == .http1 || http1)
        ClientStream.connect(to: endpoint, tls: tls, loop: loop, timeout: configuration.connectTimeout) { result in
            switch result {
            case .failure(let error):
                completion(.failure(.transport(error)))
            case .success(let stream):
                if endpoint.isSecure {
                    negotiated(stream, onEvent: onEvent, completion: completion)
                } else if plainHTTP1 {
                    completion(.success(startHTTP1(stream, onEvent: onEvent)))
                } else {
                    startHTTP2(stream, onEvent: onEvent) { outcome in
                        guard case .failure(.protocolRefused) = outcome, mode == .auto else {
                            return completion(outcome)
                        }
                        // Not an h2c server: HTTP/1.1 on a new connection (the client remembers it).
                        connect(http1: true, onEvent: onEvent, completion: completion)
                    }
                }
            }
        }
    }

    /// After TLS: the protocol the server picked from our ALPN offer.
    private func negotiated(_ stream: ClientStream, onEvent: @escaping EventHandler, completion: @escaping Completion) {
        let selected = stream.negotiatedALPN
        switch (mode, selected) {
        case (.http1, RESTProtocol.h2ALPN?):
            stream.close()
            completion(.failure(.protocolRefused("the server selected h2 in ALPN, but HTTP/1.1 is required")))
        case (_, RESTProtocol.h2ALPN?):
            startHTTP2(stream, onEvent: onEvent, completion: completion)
        case (.h2, _):
            stream.close()
            completion(
                .failure(
                    .protocolRefused(
                        "HTTP/2 is required, but the server selected \(selected.map { "\"\($0)\"" } ?? "no protocol") in ALPN"
                    )))
        default:
            completion(.success(startHTTP1(stream, onEvent: onEvent)))
        }
    }

    private func startHTTP1(_ stream: ClientStream, onEvent: @escaping EventHandler) -> any RESTConnection {
        let connection = HTTP1ClientConnection(
            stream: stream, hostHeader: endpoint.hostHeader,
            maxBodySize: configuration.maxResponseBodySize)
        connection.start(onEvent: onEvent)
        return connection
    }

    /// Starts HTTP/2 and completes once the server's SETTINGS arrived (or it refused, or time ran out).
    private func startHTTP2(_ stream: ClientStream, onEvent: @escaping EventHandler, completion: @escaping Completion) {
        guard
            let connection = HTTP2ClientConnection(
                stream: stream, scheme: endpoint.isSecure ? "https" : "http", authority: endpoint.hostHeader,
                maxStreams: configuration.maxInFlight, maxBodySize: configuration.maxResponseBodySize)
        else {
            stream.close()
            return completion(.failure(.protocolRefused("cannot create an HTTP/2 session")))
        }
        let once = Once(queue: queue)
        connection.start(
            onReady: { result in
                guard once.claim() else { return }
                switch result {
                case .success: completion(.success(connection))
                case .failure(let refusal): completion(.failure(.protocolRefused("not an HTTP/2 server: \(refusal)")))
                }
            }, onEvent: onEvent)
        queue.asyncAfter(deadline: .now() + configuration.connectTimeout.dispatch) {
            guard once.claim() else { return }
            connection.close()
            completion(.failure(.timedOut))
        }
    }
}

/// A flag that lets exactly one of several callbacks through. Used on `queue` only, which
/// `claim` checks; hence `@unchecked Sendable`.
private final class Once: @unchecked Sendable {
    private let queue: DispatchQueue
    private var claimed = false

    init(queue: DispatchQueue) { self.queue = queue }

    func claim() -> Bool {
        dispatchPrecondition(condition: .onQueue(queue))
        defer { claimed = true }
        return !claimed
    }
}
