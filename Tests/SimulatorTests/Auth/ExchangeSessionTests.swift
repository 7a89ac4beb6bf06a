import Foundation
import OpenSSL
import Testing

@testable import Simulator

@Suite struct ExchangeSessionTests {
    typealias S = AuthTestSupport
    let connectedSince = S.now - 60_000

    private func result(_ fixture: String) throws -> Any {
        (try FixtureShape.load(fixture)["response"] as! [String: Any])["result"]!
    }

    private func shape(_ json: String) throws -> String {
        FixtureShape.of(try FixtureShape.parse(Array(json.utf8)))
    }

    private func loggedOn() throws -> (ExchangeSession, RequestAuthenticator, Ed25519PrivateKey) {
        let key = try S.ed25519Key()
        let authenticator = S.authenticator(["ED": .ed25519(try Ed25519PublicKey(pem: key.publicKeyPEM))])
        let session = ExchangeSession(connectedSince: connectedSince, returnRateLimits: false)
        let logon = try S.signedBase64(#""apiKey":"ED","timestamp":\#(S.now - 100)"#, sign: key.sign)
        let answer = try session.logon(logon, authenticator: authenticator, now: S.now).get()
        #expect(try shape(answer) == FixtureShape.of(try result("session.logon.json")))
        let object = try FixtureShape.parse(Array(answer.utf8))
        #expect(object["apiKey"] as? String == "ED")
        #expect((object["authorizedSince"] as? NSNumber)?.int64Value == S.now - 100)
        #expect((object["connectedSince"] as? NSNumber)?.int64Value == connectedSince)
        #expect((object["serverTime"] as? NSNumber)?.int64Value == S.now)
        #expect(object["returnRateLimits"] as? Bool == false)
        return (session, authenticator, key)
    }

    @Test func statusAndLogoutHaveTheOfficialShapes() throws {
        let (session, _, _) = try loggedOn()
        #expect(try shape(session.status(now: S.now)) == FixtureShape.of(try result("session.status.json")))
        let logout = session.logout(now: S.now)
        #expect(try shape(logout) == FixtureShape.of(try result("session.logout.json")))
        #expect(session.loggedOnKey == nil && session.authorizedSince == nil)
        #expect(try shape(session.status(now: S.now)) == FixtureShape.of(try result("session.logout.json")))
    }

    @Test func loggedOnSessionNeedsOnlyTheTimestamp() throws {
        let (session, authenticator, _) = try loggedOn()
        func check(
            _ json: String, _ security: RequestAuthenticator.Security = .signed
        ) throws -> Result<String?, ExchangeError> {
            authenticator.authenticate(try S.params(json), security: security, session: session, now: S.now)
        }
        #expect(try check(#"{"symbol":"BTCUSDT","timestamp":\#(S.now)}"#).get() == "ED")
        #expect(try check(#"{"apiKey":"ED","timestamp":\#(S.now)}"#).get() == "ED")
        #expect(try check("{}", .userStream).get() == "ED")
        #expect(try check(#"{"symbol":"BTCUSDT"}"#).failure == .mandatoryParameter("timestamp"))
        #expect(try check(#"{"timestamp":\#(S.now - 6000)}"#).failure == .timestampOutsideRecvWindow)
        // Another key without a signature is not covered by the session.
        #expect(
            try check(#"{"apiKey":"\#(S.apiKey)","timestamp":\#(S.now)}"#).failure == .mandatoryParameter("signature"))
        // An explicit signature is checked on its own ("ad hoc"), here with the HMAC key.
        let adHoc = try S.signedHMAC(#""apiKey":"\#(S.apiKey)","timestamp":\#(S.now)"#)
        #expect(
            try authenticator.authenticate(adHoc, security: .signed, session: session, now: S.now).get() == S.apiKey)
        let forged = try S.signedHMAC(#""apiKey":"ED","timestamp":\#(S.now)"#, secret: "x")
        #expect(
            authenticator.authenticate(forged, security: .signed, session: session, now: S.now).failure
                == .invalidSignature)

        _ = session.logout(now: S.now)
        #expect(try check(#"{"timestamp":\#(S.now)}"#).failure == .mandatoryParameter("apiKey"))
    }

    @Test func aRevokedKeyEndsTheSession() throws {
        let (session, _, _) = try loggedOn()
        let withoutKey = S.authenticator()
        let error = withoutKey.authenticate(
            try S.params(#"{"timestamp":\#(S.now)}"#), security: .signed,
            session: session, now: S.now
        ).failure
        #expect(error == .invalidAPIKey && error?.status == 401)
    }

    @Test func logonNeedsAnEd25519KeyAndAValidSignature() throws {
        let (session, authenticator, key) = try loggedOn()
        // HMAC keys cannot log on; Binance answers with an invalid signature.
        let hmac = try S.signedHMAC(#""apiKey":"\#(S.apiKey)","timestamp":\#(S.now)"#)
        #expect(session.logon(hmac, authenticator: authenticator, now: S.now).failure == .invalidSignature)
        #expect(session.loggedOnKey == "ED")  // a failed logon keeps the previous state

        let fresh = ExchangeSession(connectedSince: connectedSince)
        let stale = try S.signedBase64(#""apiKey":"ED","timestamp":\#(S.now - 5001)"#, sign: key.sign)
        #expect(fresh.logon(stale, authenticator: authenticator, now: S.now).failure == .timestampOutsideRecvWindow)
        let noKey = try S.signedBase64(#""timestamp":\#(S.now)"#, sign: key.sign)
        #expect(fresh.logon(noKey, authenticator: authenticator, now: S.now).failure == .mandatoryParameter("apiKey"))
        let unknown = try S.signedBase64(#""apiKey":"NOPE","timestamp":\#(S.now)"#, sign: key.sign)
        #expect(fresh.logon(unknown, authenticator: authenticator, now: S.now).failure == .invalidAPIKey)
        let unsigned = try S.params(#"{"apiKey":"ED","timestamp":\#(S.now)}"#)
        #expect(
            fresh.logon(unsigned, authenticator: authenticator, now: S.now).failure == .mandatoryParameter("signature"))
        #expect(fresh.loggedOnKey == nil)
        #expect(try FixtureShape.parse(Array(fresh.status(now: S.now).utf8))["returnRateLimits"] as? Bool == true)
    }
}
