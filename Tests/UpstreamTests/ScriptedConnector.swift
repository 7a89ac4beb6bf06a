import Dispatch
import Foundation
import RequestWindow
import Synchronization

@testable import Upstream

/// An in-memory upstream: every link records the frames sent on it and lets the test
/// answer, drop or refuse, so multiplexer behaviour can be asserted exactly.
final class ScriptedConnector: UpstreamConnector, @unchecked Sendable {
    final class FakeLink: UpstreamLink, @unchecked Sendable {
        let queue: DispatchQueue
        let onFrame: @Sendable ([UInt8]) -> Void
        let onClose: @Sendable ((any Error)?) -> Void
        private let state = Mutex<(sent: [String], closed: Bool)>(([], false))

        init(
            queue: DispatchQueue, onFrame: @escaping @Sendable ([UInt8]) -> Void,
            onClose: @escaping @Sendable ((any Error)?) -> Void
        ) {
            self.queue = queue
            self.onFrame = onFrame
            self.onClose = onClose
        }

        var sent: [String] { state.withLock { $0.sent } }
        var isClosed: Bool { state.withLock { $0.closed } }

        /// The ids of the requests sent on this link, in order.
        var sentIDs: [UInt64] {
            sent.compactMap { frame in
                guard let range = frame.range(of: #"(?<="id":)\d+"#, options: .regularExpression) else { return nil }
                return UInt64(frame[range])
            }
        }

        func send(_ frame: [UInt8]) {
            state.withLock { $0.sent.append(String(decoding: frame, as: UTF8.self)) }
        }

        func close() { drop() }

        /// Delivers an answer as the exchange would send it.
        func answer(_ id: UInt64, status: Int = 200, result: String = #"{"ok":true}"#) {
            let body = status == 200 ? #""result":\#(result)"# : #""error":\#(result)"#
            let frame = #"{"id":\#(id),"status":\#(status),\#(body),"rateLimits":[]}"#
            queue.async { [self] in
                guard !isClosed else { return }
                onFrame(Array(frame.utf8))
            }
        }

        /// Ends the link as a network failure would.
        func drop() {
            let wasOpen = state.withLock { state -> Bool in
                defer { state.closed = true }
                return !state.closed
            }
            if wasOpen { queue.async { [self] in onClose(nil) } }
        }
    }

    struct Refused: Error {}

    private let state = Mutex<(links: [FakeLink], refusals: Int, attempts: Int)>(([], 0, 0))

    /// The next `count` connect attempts fail.
    func refuse(next count: Int) { state.withLock { $0.refusals = count } }

    var links: [FakeLink] { state.withLock { $0.links } }
    var attempts: Int { state.withLock { $0.attempts } }

    func connect(
        queue: DispatchQueue, onFrame: @escaping @Sendable ([UInt8]) -> Void,
        onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping @Sendable (Result<any UpstreamLink, any Error>) -> Void
    ) {
        let link = FakeLink(queue: queue, onFrame: onFrame, onClose: onClose)
        let refused = state.withLock { state -> Bool in
            state.attempts += 1
            if state.refusals > 0 {
                state.refusals -= 1
                return true
            }
            state.links.append(link)
            return false
        }
        queue.async { completion(refused ? .failure(Refused()) : .success(link)) }
    }
}

/// Collects outcomes from completions on other threads.
final class Outcomes: @unchecked Sendable {
    private let state = Mutex<[Int: Result<UpstreamReply, UpstreamFailure>]>([:])

    func completion(_ key: Int) -> UpstreamMultiplexer.Completion {
        { [self] result in
            state.withLock { outcomes in
                precondition(outcomes[key] == nil, "request \(key) answered twice")
                outcomes[key] = result
            }
        }
    }

    var all: [Int: Result<UpstreamReply, UpstreamFailure>] { state.withLock { $0 } }
    var count: Int { state.withLock { $0.count } }
    subscript(key: Int) -> Result<UpstreamReply, UpstreamFailure>? { state.withLock { $0[key] } }
}

func request(_ method: String = "depth", _ effect: RequestEffect = .readOnly, tag: Int = 0) -> UpstreamRequest {
    UpstreamRequest(method: method, effect: effect) { id in
        Array(#"{"id":\#(id),"method":"\#(method)","params":{"tag":\#(tag)}}"#.utf8)
    }
}
