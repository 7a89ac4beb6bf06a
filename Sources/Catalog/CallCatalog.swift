/// Every call the gateway serves as `/v1/{call}`: the 26 calls of the seed document and the
/// python-binance names that differ from it or are missing from it.
///
/// One table, no per-call handlers: an entry says where the call goes, what it takes, how it
/// is signed and what it weighs (reference: seed-mapping.md, binance-ws-fapi.md §5).
public enum CallCatalog {
    public static let all: [CallSpec] = MarketDataCalls.all + AccountCalls.all + OrderCalls.all + SettingsCalls.all

    private static let byName: [String: CallSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static func spec(named name: String) -> CallSpec? { byName[name] }

    /// The security of an upstream WebSocket method, when some catalog call uses it.
    public static func security(ofWebSocketMethod method: String) -> Security? {
        if let known = extraWebSocketMethods[method] { return known.security }
        return all.first { $0.target == .webSocket(method) }?.security
    }

    /// Whether an upstream WebSocket method is known to change nothing (safe to resend).
    public static func isReadOnly(webSocketMethod method: String) -> Bool {
        if let known = extraWebSocketMethods[method] { return !known.changesState }
        guard let spec = all.first(where: { $0.target == .webSocket(method) }) else { return false }
        return !spec.changesState
    }

    /// Methods no catalog call uses but `/v1/call/{method}` may pass through.
    static let extraWebSocketMethods: [String: (security: Security, changesState: Bool)] = [
        "userDataStream.start": (.apiKey, true),
        "userDataStream.ping": (.apiKey, true),
        "userDataStream.stop": (.apiKey, true),
        "session.status": (.none, false),
        "algoOrder.place": (.signed, true),
        "algoOrder.cancel": (.signed, true),
    ]
}
