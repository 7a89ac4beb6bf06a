import CNGHTTP2

extension HTTP2ClientSession {
    /// Lays `fields` out as an `nghttp2_nv` array for one call; nghttp2 copies what it keeps.
    static func withHeaderBlock(
        _ fields: [(String, String)],
        _ body: (UnsafePointer<nghttp2_nv>, Int) -> Int32
    ) -> Int32 {
        var bytes: [UInt8] = []
        for (name, value) in fields { bytes += Array(name.utf8) + Array(value.utf8) }
        bytes.append(0)  // never empty, so the buffer has a base address
        return bytes.withUnsafeMutableBufferPointer { storage in
            guard let base = storage.baseAddress else { return NGHTTP2_ERR_NOMEM.rawValue }
            var offset = 0
            var nva: [nghttp2_nv] = []
            for (name, value) in fields {
                let nameStart = base + offset
                offset += name.utf8.count
                let valueStart = base + offset
                offset += value.utf8.count
                nva.append(
                    nghttp2_nv(
                        name: nameStart, value: valueStart, namelen: name.utf8.count,
                        valuelen: value.utf8.count, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
            }
            return nva.withUnsafeBufferPointer { block in
                guard let first = block.baseAddress else { return NGHTTP2_ERR_INVALID_ARGUMENT.rawValue }
                return body(first, block.count)
            }
        }
    }
}
