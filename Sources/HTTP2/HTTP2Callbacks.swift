import CNGHTTP2

/// The C callbacks nghttp2 calls during `mem_recv` and `mem_send`; each finds its
/// `HTTP2ServerSession` in `user_data` (unretained: the session outlives its nghttp2 session).
enum HTTP2Callbacks {
    /// A new callbacks object; the caller deletes it once the session is made.
    static func make() -> OpaquePointer {
        var callbacks: OpaquePointer?
        precondition(nghttp2_session_callbacks_new(&callbacks) == 0, "nghttp2_session_callbacks_new failed")
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            guard let frame, isRequestHeaders(frame) else { return 0 }
            session(userData).beginRequest(frame.pointee.hd.stream_id)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, isRequestHeaders(frame), let name, let value else { return 0 }
            let accepted = session(userData).header(
                frame.pointee.hd.stream_id,
                name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
                value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self))
            // Too large a head: nghttp2 resets the stream.
            return accepted ? 0 : NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, stream, data, length, userData in
            guard let data else { return 0 }
            session(userData).data(stream, UnsafeBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame else { return 0 }
            let type = frame.pointee.hd.type
            if type == UInt8(NGHTTP2_SETTINGS.rawValue)
                && frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0
            {
                session(userData).settingsReceived()
            }
            let endsStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            if endsStream && (type == UInt8(NGHTTP2_HEADERS.rawValue) || type == UInt8(NGHTTP2_DATA.rawValue)) {
                session(userData).endStream(frame.pointee.hd.stream_id)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, stream, _, userData in
            session(userData).streamClosed(stream)
            return 0
        }
        return callbacks!
    }

    /// The data provider's read callback: the next body chunk of a stream.
    static let readBody: nghttp2_data_source_read_callback = { _, stream, buffer, length, flags, _, userData in
        guard let buffer else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
        var eof = false
        let count = session(userData).readBody(stream, into: buffer, length: length, eof: &eof)
        if eof { flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
        return count
    }
}

// Free functions: a C function pointer may not capture even `Self`.

private func session(_ userData: UnsafeMutableRawPointer?) -> HTTP2ServerSession {
    Unmanaged<HTTP2ServerSession>.fromOpaque(userData!).takeUnretainedValue()
}

private func isRequestHeaders(_ frame: UnsafePointer<nghttp2_frame>) -> Bool {
    frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) && frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
}
