import Dispatch
import EventLoops
import Logging

/// Opens links through another connector and logs each one on (`session.logon`) before the
/// multiplexer uses it, so every reconnect is logged on again.
///
/// If the upstream refuses the logon (or never answers it within `timeout`), the link is
/// still used and requests are signed one by one instead: trading goes on, a little slower.
public struct SessionLogonConnector: UpstreamConnector {
    /// The request id of logon frames: the multiplexer's own ids count up from 1 and never reach it,
    /// and it fits in a signed 64-bit integer, as exchanges (and our simulator) read ids.
    public static let logonID = UInt64(Int64.max)

    private let inner: any UpstreamConnector
    private let logonFrame: @Sendable (UInt64) -> [UInt8]
    private let authorization: SessionAuthorization
    private let timeout: Duration
    private let logger: Logger

    public init(
        inner: any UpstreamConnector, authorization: SessionAuthorization, timeout: Duration = .seconds(10),
        logger: Logger, logonFrame: @escaping @Sendable (UInt64) -> [UInt8]
    ) {
        self.inner = inner
        self.logonFrame = logonFrame
        self.authorization = authorization
        self.timeout = timeout
        self.logger = logger
    }

    public func connect(
        queue: DispatchQueue, onFrame: @escaping @Sendable ([UInt8]) -> Void,
        onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping @Sendable (Result<any UpstreamLink, any Error>) -> Void
    ) {
        let gate = LogonGate(queue: queue, forward: onFrame)
        let authorization = authorization
        let logger = logger
        let frame = logonFrame
        let timeout = timeout
        // A link that dies during logon completes first (as refused), then reports its end.
        inner.connect(
            queue: queue, onFrame: { gate.receive($0) },
            onClose: {
                gate.closed()
                onClose($0)
            }
        ) { result in
            guard case .success(let link) = result else { return completion(result) }
            gate.await(timeout: timeout) { reply in
                let accepted = reply.map { $0.status == 200 } ?? false
                authorization.set(accepted)
                if accepted {
                    logger.info("upstream session logged on (Ed25519); requests carry no signature")
                } else {
                    logger.warning(
                        "upstream refused session.logon; signing each request instead",
                        metadata: ["answer": "\(reply.map { String(decoding: $0.body, as: UTF8.self) } ?? "none")"])
                }
                completion(.success(link))
            }
            link.send(frame(Self.logonID))
        }
    }
}

/// Holds back the logon answer and passes every other frame on. Confined to the link's
/// `queue`, which every entry point checks; hence `@unchecked Sendable`.
private final class LogonGate: @unchecked Sendable {
    private let queue: DispatchQueue
    private let forward: @Sendable ([UInt8]) -> Void
    private var waiting: ((UpstreamReply?) -> Void)?

    init(queue: DispatchQueue, forward: @escaping @Sendable ([UInt8]) -> Void) {
        self.queue = queue
        self.forward = forward
    }

    func await(timeout: Duration, _ completion: @escaping (UpstreamReply?) -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        waiting = completion
        queue.asyncAfter(deadline: .now() + timeout.dispatch) { [self] in
            finish(nil)
        }
    }

    func receive(_ frame: [UInt8]) {
        dispatchPrecondition(condition: .onQueue(queue))
        if waiting != nil, let envelope = UpstreamEnvelope.scan(frame), envelope.id == SessionLogonConnector.logonID {
            return finish(UpstreamReply(frame: frame, envelope: envelope))
        }
        forward(frame)
    }

    func closed() { finish(nil) }

    private func finish(_ reply: UpstreamReply?) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let waiting else { return }
        self.waiting = nil
        waiting(reply)
    }
}
