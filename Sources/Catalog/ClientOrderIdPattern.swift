/// Binance's rule for client order ids (`newClientOrderId`, `origClientOrderId`, `clientAlgoId`):
/// `^[\.A-Z\:/a-z0-9_-]{1,36}$`.
///
/// Checked before anything is sent: an id is echoed in the `X-Client-Order-Id` response header
/// and in logs, so a value outside this set must never get that far.
public enum ClientOrderIdPattern {
    public static let regex = #"^[\.A-Z\:/a-z0-9_-]{1,36}$"#

    public static func matches(_ id: String) -> Bool {
        (1...36).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"),
                    UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }
}
