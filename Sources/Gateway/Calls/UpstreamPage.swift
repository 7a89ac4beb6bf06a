import HTTP1

/// An upstream REST answer that is not JSON: an error page from the exchange's edge (CDN,
/// WAF, load balancer), usually HTML. The client gets the gateway's JSON error instead, with
/// the upstream's status kept and a short, sanitized excerpt of the page in `msg`; no byte of
/// the page ever reaches a header.
struct UpstreamPage: Sendable, Hashable {
    /// The upstream's HTTP status.
    let status: Int
    /// Printable ASCII, tags dropped, runs of white space made one space, at most `excerptLength` characters.
    let excerpt: String

    static let excerptLength = 120
    /// How much of the page is looked at for the excerpt.
    static let scanLimit = 4096

    /// The page, when `body` is not JSON (its first non-blank byte opens no object or array).
    init?(status: Int, body: some Collection<UInt8>) {
        guard let first = body.first(where: { !Self.isBlank($0) }) else {
            self.init(status: status, excerpt: "")
            return
        }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return nil }
        self.init(status: status, excerpt: Self.excerpt(of: body.prefix(Self.scanLimit)))
    }

    init(status: Int, excerpt: String) {
        self.status = status
        self.excerpt = excerpt
    }

    /// Text of `page` without markup: what a person would read first.
    static func excerpt(of page: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        var inTag = false
        var pendingSpace = false
        for byte in page {
            if out.count >= excerptLength { break }
            switch byte {
            case UInt8(ascii: "<"):
                inTag = true
                pendingSpace = !out.isEmpty
            case UInt8(ascii: ">") where inTag: inTag = false
            case _ where inTag: continue
            case _ where isBlank(byte): pendingSpace = !out.isEmpty
            case 0x21...0x7E:
                if pendingSpace { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(byte)
            default:
                if pendingSpace { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(UInt8(ascii: "?"))
            }
        }
        return String(decoding: out.prefix(excerptLength), as: UTF8.self)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
