import CNGHTTP2
import HTTP1

/// The client side of one HTTP/2 connection over libnghttp2: requests in, bytes out; bytes
/// in, responses out. No sockets, so it is testable over `[UInt8]`.
///
/// It exists so the rest of the client never sees nghttp2 or its raw pointers. nghttp2 does
/// SETTINGS, PING, HPACK, stream states and flow control; this wrapper turns its callbacks
/// into one `Event` per stream (a response, a refusal, a reset) plus connection events.
/// Not thread-safe: its owner calls it from one queue.
final class HTTP2ClientSession {
    typealias StreamID = Int32

    enum Event {
        case response(StreamID, RESTResponse)
        /// Never processed by the server: REFUSED_STREAM, above a GOAWAY's last-stream-id,
        /// or never sent at all.
        case refused(StreamID)
        /// Reset or failed after the server may have processed it.
        case reset(StreamID, String)
        case goAway
        case settings
    }

    private struct Response {
        var status: Int?
        var headers = HTTPHeaders()
        var body: [UInt8] = []
    }

    private var session: OpaquePointer?
    private let maxBodySize: Int
    /// Requests sent or queued and not yet answered, by stream.
    private var streams: [StreamID: Response] = [:]
    /// Request bodies not yet handed to nghttp2, by stream.
    private var bodies: [StreamID: ArraySlice<UInt8>] = [:]
    private var events: [Event] = []
    private var idsExhausted = false
    /// Why the session failed for good (a protocol error from the peer), if it did.
    private(set) var failure: String?
    private(set) var goneAway = false

    /// `nil` only if nghttp2 cannot allocate its session.
    init?(maxBodySize: Int) {
        self.maxBodySize = maxBodySize
        guard let callbacks = HTTP2ClientCallbacks.make() else { return nil }
        defer { nghttp2_session_callbacks_del(callbacks) }
        var session: OpaquePointer?
        guard nghttp2_session_client_new(&session, callbacks, Unmanaged.passUnretained(self).toOpaque()) == 0,
            let session
        else { return nil }
        self.session = session
        // No server push; windows large enough that a depth snapshot needs no WINDOW_UPDATE round trip.
        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: 1 << 20),
        ]
        _ = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        _ = nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, 16 << 20)
    }

    deinit {
        nghttp2_session_del(session)
    }

    /// Streams with a request in progress.
    var openStreams: Int { streams.count }

    /// The peer's SETTINGS_MAX_CONCURRENT_STREAMS (unlimited until it says otherwise).
    var peerMaxConcurrentStreams: Int {
        Int(nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS))
    }

    /// False after GOAWAY (either way), a protocol failure, or when stream ids run out.
    var isAccepting: Bool {
        failure == nil && !goneAway && !idsExhausted && nghttp2_session_check_request_allowed(session) != 0
    }

    /// True once nghttp2 wants neither to read nor to write (after GOAWAY and the last stream).
    var isFinished: Bool {
        nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0
    }

    /// Queues `request` as a new stream; `nil` when the session cannot open one.
    func submit(_ request: RESTWireRequest, scheme: String, authority: String) -> StreamID? {
        guard isAccepting else { return nil }
        var fields: [(String, String)] = [
            (":method", request.method.rawValue), (":scheme", scheme), (":authority", authority),
            (":path", request.target),
        ]
        fields += request.headers
        if request.declaresBody { fields.append(("content-length", String(request.body.count))) }
        let sendsBody = !request.body.isEmpty
        let stream = Self.withHeaderBlock(fields) { nva, count in
            guard sendsBody else { return nghttp2_submit_request(session, nil, nva, count, nil, nil) }
            var provider = nghttp2_data_provider(
                source: nghttp2_data_source(ptr: nil),
                read_callback: HTTP2ClientCallbacks.readBody)
            return nghttp2_submit_request(session, nil, nva, count, &provider, nil)
        }
        guard stream > 0 else {
            if stream == NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE.rawValue { idsExhausted = true }
            return nil
        }
        streams[stream] = Response()
        if sendsBody { bodies[stream] = request.body[...] }
        return stream
    }

    /// Feeds bytes read from the peer; returns what they completed, in order.
    func receive(_ bytes: UnsafeRawBufferPointer) -> [Event] {
        if let base = bytes.baseAddress, !bytes.isEmpty, failure == nil {
            let consumed = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
            if consumed < 0 {
                failure = String(cString: nghttp2_strerror(Int32(consumed)))
                _ = nghttp2_session_terminate_session(session, NGHTTP2_PROTOCOL_ERROR.rawValue)
            }
        }
        return takeEvents()
    }

    /// Events raised while sending (requests that could not be sent).
    func takeEvents() -> [Event] {
        defer { events = [] }
        return events
    }

    /// Everything nghttp2 has to send now: frames, acks, body chunks the windows allow.
    func takeOutput() -> [UInt8] {
        var output: [UInt8] = []
        while true {
            var chunk: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &chunk)
            if count < 0 { failure = failure ?? String(cString: nghttp2_strerror(Int32(count))) }
            guard count > 0, let chunk else { break }
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: count))
        }
        return output
    }

    /// Abandons `stream` (its deadline passed): RST_STREAM with CANCEL, and no event for it.
    func cancel(_ stream: StreamID) {
        guard streams.removeValue(forKey: stream) != nil else { return }
        bodies[stream] = nil
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, NGHTTP2_CANCEL.rawValue)
    }

    /// Queues GOAWAY (NO_ERROR): no new streams; open ones may still finish.
    func goAway() {
        _ = nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue)
    }

    // MARK: Callbacks (from HTTP2ClientCallbacks, inside nghttp2 calls)

    func header(_ stream: StreamID, name: String, value: String) {
        guard streams[stream] != nil else { return }
        if name == ":status" {
            // A final status after 1xx interim responses replaces them.
            streams[stream]?.status = Int(value)
            streams[stream]?.headers = HTTPHeaders()
        } else if !name.hasPrefix(":") {
            streams[stream]?.headers.add(name, value)
        }
    }

    func data(_ stream: StreamID, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let count = streams[stream]?.body.count else { return true }
        guard count + bytes.count <= maxBodySize else {
            streams[stream] = nil
            events.append(.reset(stream, "response body larger than \(maxBodySize) bytes"))
            return false
        }
        streams[stream]?.body.append(contentsOf: bytes)
        return true
    }

    func endStream(_ stream: StreamID) {
        guard let response = streams.removeValue(forKey: stream) else { return }
        bodies[stream] = nil
        guard let status = response.status, status >= 200 else {
            return events.append(.reset(stream, "response without a final :status"))
        }
        events.append(.response(stream, RESTResponse(status: status, headers: response.headers, body: response.body)))
    }

    func streamClosed(_ stream: StreamID, errorCode: UInt32) {
        bodies[stream] = nil
        guard streams.removeValue(forKey: stream) != nil else { return }
        // REFUSED_STREAM guarantees the server did no processing (RFC 9113 §8.7), so even a
        // state-changing request may be sent again. nghttp2 also closes the streams above a
        // GOAWAY's last-stream-id with this code.
        if errorCode == NGHTTP2_REFUSED_STREAM.rawValue {
            events.append(.refused(stream))
        } else {
            events.append(.reset(stream, "stream reset: \(String(cString: nghttp2_http2_strerror(errorCode)))"))
        }
    }

    func notSent(_ stream: StreamID) {
        bodies[stream] = nil
        guard streams.removeValue(forKey: stream) != nil else { return }
        events.append(.refused(stream))
    }

    func goAwayReceived() {
        goneAway = true
        events.append(.goAway)
    }

    func settingsReceived() {
        events.append(.settings)
    }

    /// Copies up to `length` body bytes of `stream` into `buffer`; sets `eof` after the last one.
    func readBody(_ stream: StreamID, into buffer: UnsafeMutablePointer<UInt8>, length: Int, eof: inout Bool) -> Int {
        guard let body = bodies[stream], !body.isEmpty else {
            eof = true
            return 0
        }
        let count = min(length, body.count)
        body.prefix(count).withUnsafeBufferPointer { chunk in
            if let base = chunk.baseAddress { buffer.update(from: base, count: count) }
        }
        let rest = body.dropFirst(count)
        bodies[stream] = rest.isEmpty ? nil : rest
        eof = rest.isEmpty
        return count
    }
}
