import EventLoops
import HTTPServer
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes one JSON object per line to standard error,
/// for log shippers: `{"ts":…,"level":…,"label":…,"msg":…, metadata…}`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = StandardError.write) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        var line = #"{"ts":"\#(Self.timestamp())","level":"\#(event.level)","label":\#(JSONText.quoted(label))"#
        line += #","msg":\#(JSONText.quoted(event.message.description))"#
        for key in fields.keys.sorted() where !["ts", "level", "label", "msg"].contains(key) {
            line += ",\(JSONText.quoted(key)):\(JSONText.quoted(fields[key]!.description))"
        }
        write(line + "}\n")
    }

    /// RFC 3339 UTC time with milliseconds.
    static func timestamp() -> String {
        let now = WallClock.now
        var seconds = time_t(now.seconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))."
            + "\(pad(Int(now.nanoseconds) / 1_000_000, 3))Z"
    }
}
