/// The text Binance signs for a request, so the simulator verifies exactly what the exchange does.
///
/// All params except `signature`, sorted by name in byte (code point) order, joined as `key=value`
/// with `&`. Values are the text as sent (`JSONParams.ordered.raw`), with no percent-encoding: the
/// official docs' sample and python-binance join raw values (reference §4 "Value encoding subtlety").
enum SigningPayload {
    static func make(_ params: JSONParams, excluding excluded: String = "signature") -> String {
        params.ordered
            .filter { $0.key != excluded }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { "\($0.key)=\($0.raw)" }
            .joined(separator: "&")
    }
}
