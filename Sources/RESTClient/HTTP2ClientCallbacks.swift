import CNGHTTP2

/// The C callbacks nghttp2 calls during `mem_recv` and `mem_send` of a client session; each
/// finds its `HTTP2ClientSession` in `user_data` (unretained: the Swift object owns the
/// nghttp2 session and outlives it).
enum HTTP2ClientCallbacks {
    /// A new callbacks object; the caller deletes it once the session is made.
    static func make() -> OpaquePointer? {
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else { return nil }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, let name, let value, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else {
                return 0
            }
            session(userData)?.header(
                frame.pointee.hd.stream_id,
                name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
                value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self))
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, stream, data, length, userData in
            guard let data else { return 0 }
            let accepted = session(userData)?.data(stream, UnsafeBufferPointer(start: data, count: length)) ?? true
            // Too large a body: nghttp2 resets the stream and reports it closed.
            return accepted ? 0 : NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame, let session = session(userData) else { return 0 }
            let header = frame.pointee.hd
            let endsStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            switch header.type {
            case UInt8(NGHTTP2_HEADERS.rawValue), UInt8(NGHTTP2_DATA.rawValue):
                if endsStream { session.endStream(header.stream_id) }
            case UInt8(NGHTTP2_GOAWAY.rawValue):
                session.goAwayReceived()
            case UInt8(NGHTTP2_SETTINGS.rawValue):
                session.settingsReceived()
            default:
                break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, stream, errorCode, userData in
            session(userData)?.streamClosed(stream, errorCode: errorCode)
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_not_send_callback(callbacks) { _, frame, _, userData in
            // A request that never left (GOAWAY came first, or the connection is closing).
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            session(userData)?.notSent(frame.pointee.hd.stream_id)
            return 0
        }
        return callbacks
    }

    /// The data provider's read callback: the next request body chunk of a stream.
    static let readBody: nghttp2_data_source_read_callback = { _, stream, buffer, length, flags, _, userData in
        guard let buffer, let session = session(userData) else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
        var eof = false
        let count = session.readBody(stream, into: buffer, length: length, eof: &eof)
        if eof { flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
        return count
    }
}

// Free functions: a C function pointer may not capture even `Self`.

private func session(_ userData: UnsafeMutableRawPointer?) -> HTTP2ClientSession? {
    guard let userData else { return nil }
    return Unmanaged<HTTP2ClientSession>.fromOpaque(userData).takeUnretainedValue()
}
