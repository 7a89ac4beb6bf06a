import Testing

@testable import Simulator

@Suite struct RequestAuthenticatorTests {
    typealias S = AuthTestSupport
    let authenticator = S.authenticator()
    let key = S.apiKey

    private func signed(_ fields: String, now: Int64 = S.now) throws -> Result<String?, ExchangeError> {
        authenticator.authenticate(try S.signedHMAC(fields), security: .signed, session: nil, now: now)
    }

    private func check(
        _ json: String, _ security: RequestAuthenticator.Security
    ) throws -> Result<String?, ExchangeError> {
        authenticator.authenticate(try S.params(json), security: security, session: nil, now: S.now)
    }

    @Test func noneNeedsNothing() throws {
        #expect(try check(#"{"symbol":"BTCUSDT"}"#, .none).get() == nil)
    }

    @Test func userStreamNeedsAKnownAPIKeyOnly() throws {
        #expect(try check(#"{"apiKey":"\#(key)"}"#, .userStream).get() == key)
        #expect(try check("{}", .userStream).failure == .mandatoryParameter("apiKey"))
        let unknown = try check(#"{"apiKey":"nope"}"#, .userStream).failure
        #expect(unknown == .invalidAPIKey)
        #expect(unknown?.code == -2015 && unknown?.status == 401)
        #expect(unknown?.message == "Invalid API-key, IP, or permissions for action.")
    }

    @Test func signedRequestPasses() throws {
        #expect(try signed(#""apiKey":"\#(key)","symbol":"BTCUSDT","timestamp":\#(S.now)"#).get() == key)
    }

    @Test func hmacSignatureIsCaseInsensitive() throws {
        let fields = #""apiKey":"\#(key)","timestamp":\#(S.now)"#
        let upper = S.hmacHex(secret: S.secret, SigningPayload.make(try S.params("{\(fields)}"))).uppercased()
        let params = try S.params(#"{\#(fields),"signature":"\#(upper)"}"#)
        #expect(try authenticator.authenticate(params, security: .signed, session: nil, now: S.now).get() == key)
    }

    @Test func missingParameters() throws {
        let timestamp = #""timestamp":\#(S.now)"#
        #expect(try signed(timestamp).failure == .mandatoryParameter("apiKey"))
        #expect(try signed(#""apiKey":"","# + timestamp).failure == .mandatoryParameter("apiKey"))
        #expect(try signed(#""apiKey":"\#(key)""#).failure == .mandatoryParameter("timestamp"))
        #expect(try check(#"{"apiKey":"\#(key)",\#(timestamp)}"#, .signed).failure == .mandatoryParameter("signature"))
        // INT params must be JSON integers.
        #expect(try signed(#""apiKey":"\#(key)","timestamp":"\#(S.now)""#).failure == .mandatoryParameter("timestamp"))
        #expect(try signed(#""apiKey":"\#(key)","timestamp":1.5e12"#).failure == .mandatoryParameter("timestamp"))
        let error = ExchangeError.mandatoryParameter("timestamp")
        #expect(error.code == -1102 && error.status == 400)
    }

    @Test func unknownKeyIsRejectedBeforeTheSignature() throws {
        #expect(try signed(#""apiKey":"unknown","timestamp":\#(S.now)"#).failure == .invalidAPIKey)
    }

    @Test func timestampWindow() throws {
        func at(_ timestamp: Int64, recvWindow: String = "") throws -> ExchangeError? {
            try signed(#""apiKey":"\#(key)"\#(recvWindow),"timestamp":\#(timestamp)"#).failure
        }
        #expect(try at(S.now + 999) == nil)
        let ahead = try at(S.now + 1000)
        #expect(ahead == .timestampAhead)
        #expect(ahead?.code == -1021 && ahead?.status == 400)
        #expect(ahead?.message == "Timestamp for this request was 1000ms ahead of the server's time.")
        #expect(try at(S.now - 5000) == nil)
        let late = try at(S.now - 5001)
        #expect(late == .timestampOutsideRecvWindow)
        #expect(late?.code == -1021 && late?.message == "Timestamp for this request is outside of the recvWindow.")
        #expect(try at(S.now - 60000, recvWindow: #","recvWindow":60000"#) == nil)
        #expect(try at(S.now - 60001, recvWindow: #","recvWindow":60000"#) == .timestampOutsideRecvWindow)
        #expect(try at(S.now - 10, recvWindow: #","recvWindow":5"#) == .timestampOutsideRecvWindow)
        let tooLarge = try at(S.now, recvWindow: #","recvWindow":60001"#)
        #expect(tooLarge == .recvWindowTooLarge && tooLarge?.code == -1131)
        #expect(try at(S.now, recvWindow: #","recvWindow":"5000""#) == .mandatoryParameter("recvWindow"))
        #expect(try at(S.now, recvWindow: #","recvWindow":-1"#) == .mandatoryParameter("recvWindow"))
    }

    @Test func badSignature() throws {
        let fields = #""apiKey":"\#(key)","timestamp":\#(S.now)"#
        let forged = try S.signedHMAC(fields, secret: "another secret")
        let error = authenticator.authenticate(forged, security: .signed, session: nil, now: S.now).failure
        #expect(error == .invalidSignature)
        #expect(
            error?.code == -1022 && error?.status == 400 && error?.message == "Signature for this request is not valid."
        )
        // Signing one set of params and sending another.
        let original = try S.signedHMAC(fields)
        let tampered = try S.params(#"{\#(fields),"symbol":"ETHUSDT","signature":"\#(original["signature"]!)"}"#)
        #expect(
            authenticator.authenticate(tampered, security: .signed, session: nil, now: S.now).failure
                == .invalidSignature)
        // A signature sent as a JSON number is never valid.
        #expect(try check(#"{\#(fields),"signature":12}"#, .signed).failure == .invalidSignature)
    }

    @Test func staleRequestGetsTheTimestampErrorEvenWithABadSignature() throws {
        let stale = try S.signedHMAC(#""apiKey":"\#(key)","timestamp":\#(S.now - 10_000)"#, secret: "wrong")
        #expect(
            authenticator.authenticate(stale, security: .signed, session: nil, now: S.now).failure
                == .timestampOutsideRecvWindow)
    }
}
