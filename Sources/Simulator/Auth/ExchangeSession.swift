/// One WebSocket connection's authentication state, and the `session.*` methods over it.
///
/// ws-fapi lets a connection log on once with an Ed25519 key (`session.logon`) and then omit
/// `apiKey`/`signature` from signed requests; that state belongs to the connection, not the
/// exchange. Not thread-safe: owned by its connection and used only on that connection's queue.
final class ExchangeSession {
    let connectedSince: Int64
    /// Echoes the connection's `returnRateLimits` query option (true unless `?returnRateLimits=false`).
    let returnRateLimits: Bool
    private(set) var loggedOnKey: String?
    private(set) var authorizedSince: Int64?

    init(connectedSince: Int64, returnRateLimits: Bool = true) {
        self.connectedSince = connectedSince
        self.returnRateLimits = returnRateLimits
    }

    /// `session.logon`: a signed request with an Ed25519 key; on success the connection acts for
    /// that key (a second logon switches keys). On failure the previous state is kept.
    ///
    /// `authorizedSince` is the logon request's `timestamp`, as in the official example
    /// (fixtures/session.logon.json, where the two are equal).
    func logon(_ params: JSONParams, authenticator: RequestAuthenticator, now: Int64) -> Result<String, ExchangeError> {
        let verified = authenticator.verifySigned(params, now: now) { credential in
            if case .ed25519 = credential { true } else { false }
        }
        switch verified {
        case .success(let (apiKey, timestamp)):
            loggedOnKey = apiKey
            authorizedSince = timestamp
            return .success(statusJSON(now: now))
        case .failure(let error):
            return .failure(error)
        }
    }

    /// `session.status`: the same shape; `apiKey` and `authorizedSince` are null when not logged on.
    func status(now: Int64) -> String { statusJSON(now: now) }

    /// `session.logout`: forgets the key; the connection stays open.
    func logout(now: Int64) -> String {
        loggedOnKey = nil
        authorizedSince = nil
        return statusJSON(now: now)
    }

    /// `{"apiKey","authorizedSince","connectedSince","returnRateLimits","serverTime"}`.
    private func statusJSON(now: Int64) -> String {
        let apiKey = loggedOnKey.map(JSONLiteral.string) ?? "null"
        let since = authorizedSince.map(String.init) ?? "null"
        return #"{"apiKey":\#(apiKey),"authorizedSince":\#(since),"connectedSince":\#(connectedSince),"#
            + #""returnRateLimits":\#(returnRateLimits),"serverTime":\#(now)}"#
    }
}
