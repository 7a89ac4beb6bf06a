import Catalog

/// What a WebSocket request signs: every parameter but `signature`, sorted by name (byte
/// order), joined as `key=value` with `&`, values as plain text (binance-ws-fapi.md §4).
public enum SigningPayload {
    public static func webSocket(_ entries: [(name: String, value: ParamValue)]) -> String {
        entries
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            .map { "\($0.name)=\($0.value.plainText)" }
            .joined(separator: "&")
    }
}
