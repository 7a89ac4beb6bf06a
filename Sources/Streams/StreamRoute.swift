/// Which of the exchange's routed stream endpoints carries a stream (`/public`, `/market`,
/// `/private`), by the exchange's routing table: book tickers and depth are public, the account's
/// own events private, everything else market. One upstream connection serves one route.
public enum StreamRoute: String, Sendable, Hashable, CaseIterable {
    case `public`
    case market
    case `private`

    /// The reserved local stream name of the account's user data stream.
    public static let userStream = "user"

    /// The route of a stream name; `user` is private.
    public init(stream: String) {
        if stream == Self.userStream {
            self = .private
        } else if stream == "!bookTicker" || stream.hasSuffix("@bookTicker") || stream.contains("@depth")
            || stream.contains("@rpiDepth")
        {
            self = .public
        } else {
            self = .market
        }
    }

    /// Longest stream name accepted.
    public static let maxNameLength = 128

    /// Whether `name` may be a stream name: 1 to 128 of `A-Z a-z 0-9 @ ! _ . -`. Anything else is
    /// refused before it reaches a frame, a path or a header.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= maxNameLength else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }
}
