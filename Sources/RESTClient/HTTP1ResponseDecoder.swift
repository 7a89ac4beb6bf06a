import HTTP1

/// Reads HTTP/1.1 responses off a byte stream, one after another on a keep-alive
/// connection: the head through `HTTPResponseHeadParser`, then a Content-Length, chunked or
/// close-delimited body. Pure: bytes in, responses out; no sockets.
struct HTTP1ResponseDecoder {
    enum Outcome {
        case incomplete
        /// A complete response; `keepAlive` false when the connection must not be reused.
        case response(RESTResponse, keepAlive: Bool)
        case failure(String)
    }

    private enum Body {
        case length(Int)
        case chunked(ChunkedBodyDecoder)
        case untilClose
    }

    private let limits: HTTPLimits
    private var buffer: [UInt8] = []
    private var headParser = HTTPResponseHeadParser()
    private var head: HTTPResponseHead?
    private var bodyKind: Body?
    private var body: [UInt8] = []
    private var keepAlive = true
    private var failed: String?

    init(maxBodySize: Int) {
        limits = HTTPLimits(maxBodySize: maxBodySize)
    }

    /// True when no response has started: nothing buffered, no head read.
    var isIdle: Bool { buffer.isEmpty && head == nil }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete response from the bytes so far, if there is one.
    mutating func next() -> Outcome {
        if let failed { return .failure(failed) }
        while head == nil {
            switch buffer.withUnsafeBufferPointer({ headParser.parse($0) }) {
            case .incomplete: return .incomplete
            case .failure(let failure): return fail("\(failure)")
            case .complete(let parsed, let length):
                buffer.removeFirst(length)
                // 1xx interim responses (100 Continue) precede the real one.
                if parsed.status.code < 200 { continue }
                if let error = startBody(parsed) { return fail(error) }
            }
        }
        switch bodyKind {
        case .length(let remaining):
            let take = min(remaining, buffer.count)
            body.append(contentsOf: buffer[..<take])
            buffer.removeFirst(take)
            guard take == remaining else {
                bodyKind = .length(remaining - take)
                return .incomplete
            }
            return finishResponse()
        case .chunked(var decoder):
            let (consumed, outcome) = buffer.withUnsafeBufferPointer { decoder.decode($0, into: &body, limits: limits) }
            buffer.removeFirst(consumed)
            bodyKind = .chunked(decoder)
            switch outcome {
            case .needMoreData: return .incomplete
            case .complete: return finishResponse()
            case .failure(let error): return fail("chunked body: \(error.message)")
            }
        case .untilClose, nil:
            body.append(contentsOf: buffer)
            buffer.removeAll()
            return body.count > limits.maxBodySize
                ? fail("response body larger than \(limits.maxBodySize) bytes") : .incomplete
        }
    }

    /// The peer closed: completes a close-delimited response; anything else half-read is lost.
    mutating func finish() -> Outcome {
        guard failed == nil, head != nil, case .untilClose? = bodyKind else { return .incomplete }
        keepAlive = false
        return finishResponse()
    }

    private mutating func startBody(_ parsed: HTTPResponseHead) -> String? {
        head = parsed
        body = []
        let connection = parsed.headers.values(for: "connection").joined(separator: ",").lowercased()
        keepAlive = parsed.version == .http1_1 ? !connection.contains("close") : connection.contains("keep-alive")
        let code = parsed.status.code
        if code == 204 || code == 304 {
            bodyKind = .length(0)
            return nil
        }
        if let coding = parsed.headers.values(for: "transfer-encoding").last {
            // RFC 9112 §6.3: chunked last means chunked; any other coding runs to the close.
            let last = coding.split(separator: ",").last.map { $0.trimmingOWS().lowercased() }
            bodyKind = last == "chunked" ? .chunked(ChunkedBodyDecoder()) : .untilClose
            if parsed.headers.contains("content-length") { keepAlive = false }
            if last != "chunked" { keepAlive = false }
            return nil
        }
        let lengths = Set(
            parsed.headers.values(for: "content-length").flatMap { $0.split(separator: ",") }
                .map { String($0.trimmingOWS()) })
        if lengths.isEmpty {
            bodyKind = .untilClose
            keepAlive = false
            return nil
        }
        guard lengths.count == 1, let text = lengths.first, text.utf8.count <= 15,
            text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let length = Int(text)
        else { return "invalid Content-Length" }
        guard length <= limits.maxBodySize else { return "response body larger than \(limits.maxBodySize) bytes" }
        bodyKind = .length(length)
        return nil
    }

    private mutating func finishResponse() -> Outcome {
        guard let finished = head else { return .incomplete }
        let response = RESTResponse(status: finished.status.code, headers: finished.headers, body: body)
        head = nil
        bodyKind = nil
        body = []
        return .response(response, keepAlive: keepAlive)
    }

    private mutating func fail(_ reason: String) -> Outcome {
        failed = reason
        return .failure(reason)
    }
}
