/// Checks REST credentials the way Binance's REST API does: the key in the `X-MBX-APIKEY`
/// header, `timestamp`/`recvWindow`/`signature` as query (or form body) parameters, and the
/// HMAC over `totalParams` exactly as sent (see `RESTQuery.signingPayload`).
///
/// It reuses `RequestAuthenticator`'s key registry and signature check; only where the
/// credentials come from and what is signed differ from the WebSocket API.
struct RESTAuthenticator: Sendable {
    /// A REST endpoint's security type.
    enum Security: Sendable {
        case none
        /// MARKET_DATA / USER_STREAM: a known API key in the header, no signature.
        case apiKey
        /// TRADE / USER_DATA: API key, timestamp and signature.
        case signed
    }

    let keys: SimulatorKeys

    /// The API key the request acts for (`nil` for `.none`), or Binance's refusal.
    func authenticate(
        _ query: RESTQuery, apiKeyHeader: String?, security: Security, now: Int64
    ) -> Result<String?, ExchangeError> {
        if security == .none { return .success(nil) }
        guard let key = apiKeyHeader, !key.isEmpty else { return .failure(.apiKeyMissing) }
        guard let credential = keys[key] else { return .failure(.invalidAPIKey) }
        if security == .apiKey { return .success(key) }
        guard let timestampText = query["timestamp"] else { return .failure(.mandatoryParameter("timestamp")) }
        guard let signature = query["signature"], !signature.isEmpty else {
            return .failure(.mandatoryParameter("signature"))
        }
        guard let timestamp = Int64(timestampText) else { return .failure(.invalidParameter("timestamp")) }
        var window = RequestAuthenticator.defaultRecvWindow
        if let text = query["recvWindow"] {
            guard let value = Int64(text), value >= 0 else { return .failure(.invalidParameter("recvWindow")) }
            guard value <= RequestAuthenticator.maximumRecvWindow else { return .failure(.recvWindowTooLarge) }
            window = value
        }
        guard timestamp < now + 1000 else { return .failure(.timestampAhead) }
        guard now - timestamp <= window else { return .failure(.timestampOutsideRecvWindow) }
        let payload = Array(query.signingPayload.utf8)
        guard RequestAuthenticator.isValid(signature: signature, payload: payload, credential: credential) else {
            return .failure(.invalidSignature)
        }
        return .success(key)
    }
}
