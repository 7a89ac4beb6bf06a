import FoundationEssentials
import OpenSSL

/// Checks a request's credentials the way Binance does, so a gateway signing bug that the
/// simulator lets through would also pass on the real exchange.
///
/// Order of checks (assumption; Binance does not document it): apiKey, mandatory params,
/// recvWindow, timestamp window, then signature — a stale request gets -1021 even when its
/// signature is also wrong, as clients with clock skew observe.
struct RequestAuthenticator: Sendable {
    /// A method's security type (reference §4).
    enum Security: Sendable {
        /// Market data: no credentials.
        case none
        /// apiKey only, no signature (`userDataStream.*`).
        case userStream
        /// TRADE / USER_DATA: apiKey, timestamp and signature, or a logged-on session plus timestamp.
        case signed
    }

    static let defaultRecvWindow: Int64 = 5000
    static let maximumRecvWindow: Int64 = 60000

    let keys: SimulatorKeys

    init(keys: SimulatorKeys) { self.keys = keys }

    /// The apiKey the request acts for (`nil` for `.none`), or the error Binance would answer.
    ///
    /// A logged-on session authorizes requests without `apiKey`/`signature`; an explicit
    /// `signature` makes the request "ad hoc" and it is verified on its own. An `apiKey` without
    /// `signature` that differs from the session's key is treated as an unsigned request.
    func authenticate(
        _ params: JSONParams, security: Security, session: ExchangeSession?,
        now: Int64
    ) -> Result<String?, ExchangeError> {
        let sessionKey = session?.loggedOnKey
        let usesSession =
            sessionKey != nil && !params.contains("signature")
            && (!params.contains("apiKey") || params["apiKey"] == sessionKey)
        switch security {
        case .none:
            return .success(nil)
        case .userStream:
            if usesSession, let sessionKey { return known(sessionKey).map { _ in sessionKey } }
            return apiKey(params).flatMap { key in known(key).map { _ in key } }
        case .signed:
            if usesSession, let sessionKey {
                return known(sessionKey).flatMap { _ in checkTime(params, now: now) }.map { _ in sessionKey }
            }
            return verifySigned(params, now: now) { _ in true }.map { $0.apiKey }
        }
    }

    /// A fully signed request, as `session.logon` needs it: apiKey, timestamp, signature.
    /// A key that `accepts` rejects fails as a bad signature (Binance answers -1022 to a
    /// `session.logon` signed with an HMAC key).
    func verifySigned(
        _ params: JSONParams, now: Int64,
        accepts: (SimulatorKeys.Credential) -> Bool
    ) -> Result<(apiKey: String, timestamp: Int64), ExchangeError> {
        let key: String
        let credential: SimulatorKeys.Credential
        switch apiKey(params).flatMap({ key in known(key).map { (key, $0) } }) {
        case .success(let found): (key, credential) = found
        case .failure(let error): return .failure(error)
        }
        guard params.contains("timestamp") else { return .failure(.mandatoryParameter("timestamp")) }
        guard let signature = params["signature"], !signature.isEmpty else {
            return .failure(.mandatoryParameter("signature"))
        }
        let timestamp: Int64
        switch checkTime(params, now: now) {
        case .success(let value): timestamp = value
        case .failure(let error): return .failure(error)
        }
        let payload = Array(SigningPayload.make(params).utf8)
        guard accepts(credential), params.isString("signature"),
            Self.isValid(signature: signature, payload: payload, credential: credential)
        else {
            return .failure(.invalidSignature)
        }
        return .success((key, timestamp))
    }

    static func isValid(signature: String, payload: [UInt8], credential: SimulatorKeys.Credential) -> Bool {
        switch credential {
        case .hmac(let secret):
            // Binance: "signature is not case sensitive".
            return Hex.encode(Digest.hmacSHA256(key: secret, message: payload)) == signature.lowercased()
        case .ed25519(let key):
            guard let bytes = Data(base64Encoded: signature) else { return false }
            return key.isValidSignature(Array(bytes), for: payload)
        case .rsa(let key):
            guard let bytes = Data(base64Encoded: signature) else { return false }
            return key.isValidSignature(Array(bytes), for: payload)
        }
    }

    /// Missing, empty or non-string apiKey → -1102 (assumption: on ws-fapi the key is a param, so
    /// Binance's mandatory-parameter error applies rather than REST's header error -2014).
    private func apiKey(_ params: JSONParams) -> Result<String, ExchangeError> {
        guard let key = params["apiKey"], !key.isEmpty, params.isString("apiKey") else {
            return .failure(.mandatoryParameter("apiKey"))
        }
        return .success(key)
    }

    private func known(_ apiKey: String) -> Result<SimulatorKeys.Credential, ExchangeError> {
        keys[apiKey].map { .success($0) } ?? .failure(.invalidAPIKey)
    }

    /// `timestamp` (a JSON integer, required) against `recvWindow` (JSON integer, default 5000,
    /// at most 60000): valid when `timestamp < now + 1000 && now - timestamp <= recvWindow`.
    private func checkTime(_ params: JSONParams, now: Int64) -> Result<Int64, ExchangeError> {
        guard let timestamp = Self.integer(params, "timestamp") else {
            return .failure(.mandatoryParameter("timestamp"))
        }
        var window = Self.defaultRecvWindow
        if params.contains("recvWindow") {
            guard let value = Self.integer(params, "recvWindow"), value >= 0 else {
                return .failure(.mandatoryParameter("recvWindow"))
            }
            guard value <= Self.maximumRecvWindow else { return .failure(.recvWindowTooLarge) }
            window = value
        }
        guard timestamp < now + 1000 else { return .failure(.timestampAhead) }
        guard now - timestamp <= window else { return .failure(.timestampOutsideRecvWindow) }
        return .success(timestamp)
    }

    /// A JSON integer (not a string: INT params must be JSON integers, reference §2).
    private static func integer(_ params: JSONParams, _ key: String) -> Int64? {
        guard let raw = params[key], !params.isString(key),
            raw.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int64(raw)
    }
}
