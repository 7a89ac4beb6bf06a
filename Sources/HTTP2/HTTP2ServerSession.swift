import CNGHTTP2
import HTTP1

/// The server side of one HTTP/2 connection over libnghttp2: bytes in, requests out;
/// responses in, bytes out. No sockets, so it is testable over `[UInt8]`.
///
/// It exists so the rest of the server never sees nghttp2 or its raw pointers. nghttp2 does
/// SETTINGS, PING, GOAWAY, HPACK, stream states and flow control (a body is sent only as fast
/// as the peer's windows allow). A stream error becomes RST_STREAM; a connection error queues
/// GOAWAY, after which `isFinished` turns true once the output is taken.
/// Not thread-safe: its owner calls it from one queue.
public final class HTTP2ServerSession {
    /// A stream identifier, as on the wire.
    public typealias StreamID = Int32

    public let limits: HTTPLimits
    private var session: OpaquePointer?
    /// Requests being received, by stream.
    private var building: [StreamID: HTTP2RequestBuilder] = [:]
    /// Requests completed during the current `receive`.
    private var completed: [(stream: StreamID, request: HTTPRequest)] = []
    /// Answers the session makes itself (413, 501), submitted once `receive`'s nghttp2 call returns.
    private var refusals: [(stream: StreamID, error: HTTP2StreamError)] = []
    /// Response bodies not yet handed to nghttp2, by stream.
    private var bodies: [StreamID: ArraySlice<UInt8>] = [:]
    /// The client's SETTINGS frame (the second half of its connection preface) has arrived.
    public private(set) var hasReceivedSettings = false

    /// - Parameter maxConcurrentStreams: advertised in the first SETTINGS frame.
    public init(limits: HTTPLimits = HTTPLimits(), maxConcurrentStreams: UInt32 = 100) {
        self.limits = limits
        let callbacks = HTTP2Callbacks.make()
        defer { nghttp2_session_callbacks_del(callbacks) }
        var session: OpaquePointer?
        let status = nghttp2_session_server_new(&session, callbacks, Unmanaged.passUnretained(self).toOpaque())
        precondition(status == 0 && session != nil, "nghttp2_session_server_new failed: \(status)")
        self.session = session
        var settings = [
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                value: maxConcurrentStreams)
        ]
        _ = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
    }

    deinit {
        nghttp2_session_del(session)
    }

    /// Feeds bytes read from the peer (the client preface first); returns the requests they complete.
    public func receive(_ bytes: UnsafeRawBufferPointer) -> [(stream: StreamID, request: HTTPRequest)] {
        guard !bytes.isEmpty else { return [] }
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let consumed = nghttp2_session_mem_recv(session, base, bytes.count)
        if consumed < 0 {
            // Bad preface, flooding or a failed callback: end the connection.
            _ = nghttp2_session_terminate_session(session, NGHTTP2_PROTOCOL_ERROR.rawValue)
        }
        let requests = completed
        completed = []
        let refused = refusals
        refusals = []
        for (stream, error) in refused { respond(.error(error), on: stream) }
        return requests
    }

    /// Submits the response of `stream`: HEADERS, then the body as DATA frames (none when
    /// `bodyOmitted`, as for HEAD). A stream already closed by the peer is ignored.
    public func respond(_ response: HTTPResponse, on stream: StreamID, bodyOmitted: Bool = false) {
        let bodyless = response.status.code == 204 || response.status.code == 304
        var fields: [(String, String)] = [(":status", String(response.status.code))]
        for field in response.headers where !Self.isConnectionSpecific(field.name) {
            fields.append((field.name.lowercased(), field.value))
        }
        if !bodyless { fields.append(("content-length", String(response.body.count))) }
        let sendsBody = !bodyOmitted && !bodyless && !response.body.isEmpty
        if sendsBody { bodies[stream] = response.body }
        let status = Self.withHeaderBlock(fields) { nva, count in
            guard sendsBody else { return nghttp2_submit_response(session, stream, nva, count, nil) }
            var provider = nghttp2_data_provider(
                source: nghttp2_data_source(ptr: nil), read_callback: HTTP2Callbacks.readBody)
            return nghttp2_submit_response(session, stream, nva, count, &provider)
        }
        if status != 0 { bodies[stream] = nil }
    }

    /// Resets `stream` with INTERNAL_ERROR (the handler failed it).
    public func reset(_ stream: StreamID) {
        _ = nghttp2_submit_rst_stream(
            session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, NGHTTP2_INTERNAL_ERROR.rawValue)
    }

    /// Queues GOAWAY (NO_ERROR) naming the last stream taken, and takes no new streams; the open
    /// ones still finish, and `isFinished` turns true once they have and the frame is sent.
    public func goAway() {
        let last = nghttp2_session_get_last_proc_stream_id(session)
        _ = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, NGHTTP2_NO_ERROR.rawValue, nil, 0)
    }

    /// Ends the connection at once: GOAWAY with `error` (an HTTP/2 error code), after which
    /// `isFinished` turns true once the output is taken. Streams in flight get no response.
    public func terminate(error: UInt32) {
        _ = nghttp2_session_terminate_session(session, error)
    }

    /// HTTP/2's SETTINGS_TIMEOUT and ENHANCE_YOUR_CALM error codes (RFC 9113 §7).
    public static let settingsTimeout = NGHTTP2_SETTINGS_TIMEOUT.rawValue
    public static let enhanceYourCalm = NGHTTP2_ENHANCE_YOUR_CALM.rawValue

    /// Streams whose request has begun and not yet ended.
    public var incompleteStreams: [StreamID] { Array(building.keys) }

    /// Everything nghttp2 has to send now: frames, SETTINGS and PING acks, body chunks the windows allow.
    public func takeOutput() -> [UInt8] {
        var output: [UInt8] = []
        while true {
            var chunk: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &chunk)
            guard count > 0, let chunk else { break }
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: count))
        }
        return output
    }

    /// True once the connection is over: nghttp2 wants neither to read nor to write (after GOAWAY).
    public var isFinished: Bool {
        nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0
    }

    /// Streams with a request or response in progress.
    public var openStreamCount: Int { building.count + bodies.count }

    // MARK: Callbacks (from HTTP2Callbacks, inside nghttp2 calls)

    func beginRequest(_ stream: StreamID) {
        building[stream] = HTTP2RequestBuilder()
    }

    func settingsReceived() {
        hasReceivedSettings = true
    }

    func header(_ stream: StreamID, name: String, value: String) -> Bool {
        guard building[stream] != nil else { return true }
        guard building[stream]!.add(name: name, value: value, limits: limits) else {
            building[stream] = nil
            return false
        }
        return true
    }

    func data(_ stream: StreamID, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard building[stream] != nil, building[stream]?.answered == false else { return }
        if !building[stream]!.append(bytes, limits: limits) {
            building[stream]!.answered = true
            refusals.append((stream, .contentTooLarge(limit: limits.maxBodySize)))
        }
    }

    func endStream(_ stream: StreamID) {
        guard let builder = building.removeValue(forKey: stream), !builder.answered else { return }
        switch builder.build() {
        case .success(let request): completed.append((stream, request))
        case .failure(let error): refusals.append((stream, error))
        }
    }

    func streamClosed(_ stream: StreamID) {
        building[stream] = nil
        bodies[stream] = nil
    }

    /// Copies up to `length` body bytes of `stream` into `buffer`; sets `eof` after the last one.
    func readBody(_ stream: StreamID, into buffer: UnsafeMutablePointer<UInt8>, length: Int, eof: inout Bool) -> Int {
        guard let body = bodies[stream] else {
            eof = true
            return 0
        }
        let count = min(length, body.count)
        body.prefix(count).withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: count) }
        let rest = body.dropFirst(count)
        bodies[stream] = rest.isEmpty ? nil : rest
        eof = rest.isEmpty
        return count
    }

    // MARK: Helpers

    /// Connection-level fields HTTP/2 forbids in a response (RFC 9113 §8.2.2).
    private static func isConnectionSpecific(_ name: String) -> Bool {
        ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "content-length"]
            .contains(name.lowercased())
    }

    /// Lays `fields` out as an `nghttp2_nv` array for one call; nghttp2 copies what it keeps.
    private static func withHeaderBlock(
        _ fields: [(String, String)],
        _ body: (UnsafePointer<nghttp2_nv>, Int) -> Int32
    ) -> Int32 {
        var bytes: [UInt8] = []
        for (name, value) in fields { bytes += Array(name.utf8) + Array(value.utf8) }
        return bytes.withUnsafeMutableBufferPointer { storage in
            var offset = 0
            var nva: [nghttp2_nv] = []
            for (name, value) in fields {
                let nameStart = storage.baseAddress! + offset
                offset += name.utf8.count
                let valueStart = storage.baseAddress! + offset
                offset += value.utf8.count
                nva.append(
                    nghttp2_nv(
                        name: nameStart, value: valueStart, namelen: name.utf8.count,
                        valuelen: value.utf8.count, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
            }
            return nva.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
        }
    }
}
