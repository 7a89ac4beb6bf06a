/// Size limits the decoder enforces; each breach has its own status code.
public struct HTTPLimits: Sendable, Hashable {
    /// Longest request-target; longer is 414.
    public var maxURILength: Int
    /// Largest head (request line and header fields); larger is 431.
    public var maxHeadSize: Int
    /// Most header fields in one head; more is 431.
    public var maxHeaderCount: Int
    /// Largest body, after chunked decoding; larger is 413.
    public var maxBodySize: Int
    /// Largest chunk-size line, extensions included; longer is 400.
    public var maxChunkLineLength: Int
    /// Largest trailer section of a chunked body; larger is 431.
    public var maxTrailerSize: Int

    public init(
        maxURILength: Int = 8 * 1024,
        maxHeadSize: Int = 16 * 1024,
        maxHeaderCount: Int = 100,
        maxBodySize: Int = 1024 * 1024,
        maxChunkLineLength: Int = 1024,
        maxTrailerSize: Int = 8 * 1024
    ) {
        self.maxURILength = maxURILength
        self.maxHeadSize = maxHeadSize
        self.maxHeaderCount = maxHeaderCount
        self.maxBodySize = maxBodySize
        self.maxChunkLineLength = maxChunkLineLength
        self.maxTrailerSize = maxTrailerSize
    }
}
