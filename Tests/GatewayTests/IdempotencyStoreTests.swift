import HTTP1
import Synchronization
import Testing
import Upstream

@testable import Gateway

/// `Idempotency-Key` bookkeeping: which answers are kept for replay, and that a key whose
/// answer proved a no-op can be used again.
@Suite struct IdempotencyStoreTests {
    private let fingerprint: [UInt8] = [1, 2, 3]
    private let ok = HTTPResponse.json(.ok, #"{"orderId":1}"#)
    private let refused = HTTPResponse.json(.tooManyRequests, #"{"code":-1003,"msg":"local limit"}"#)

    @Test func aKeptAnswerIsReplayedToLaterUses() {
        let store = IdempotencyStore()
        #expect(store.claim("k", fingerprint: fingerprint) { _ in Issue.record("nothing to wait for") } == .run)
        store.finish("k", ok, keep: true)
        let replayed = Mutex<HTTPResponse?>(nil)
        #expect(store.claim("k", fingerprint: fingerprint) { response in replayed.withLock { $0 = response } } == .wait)
        let response = replayed.withLock { $0 }
        #expect(response?.status == .ok)
        #expect(response?.headers["Idempotent-Replayed"] == "true")
        #expect(store.claim("k", fingerprint: [9]) { _ in } == .conflict)
    }

    @Test func aNoOpAnswerGoesToThoseWaitingAndFreesTheKey() {
        let store = IdempotencyStore()
        #expect(store.claim("k", fingerprint: fingerprint) { _ in } == .run)
        let waited = Mutex<HTTPResponse?>(nil)
        #expect(store.claim("k", fingerprint: fingerprint) { response in waited.withLock { $0 = response } } == .wait)
        store.finish("k", refused, keep: false)
        #expect(waited.withLock { $0 }?.status == .tooManyRequests)
        // Free again, even for other parameters: nothing was done under it.
        #expect(store.claim("k", fingerprint: [9]) { _ in } == .run)
    }

    @Test func aKeyClaimedAgainAfterBeingFreedAgesFromItsNewClaim() {
        let store = IdempotencyStore(capacity: 2)
        #expect(store.claim("x", fingerprint: fingerprint) { _ in } == .run)  // in flight: nothing after it goes
        #expect(store.claim("a", fingerprint: fingerprint) { _ in } == .run)
        store.finish("a", refused, keep: false)
        #expect(store.claim("b", fingerprint: fingerprint) { _ in } == .run)
        store.finish("b", ok, keep: true)
        #expect(store.claim("a", fingerprint: fingerprint) { _ in } == .run)
        store.finish("a", ok, keep: true)
        store.finish("x", ok, keep: true)
        // Over capacity the oldest claims go first: x, then b. a counts from its second claim, after b's.
        #expect(store.claim("e", fingerprint: fingerprint) { _ in } == .run)
        #expect(store.claim("a", fingerprint: fingerprint) { _ in } == .wait)
        #expect(store.claim("b", fingerprint: fingerprint) { _ in } == .run)
    }

    @Test func effectsFollowWhatTheAnswerProves() {
        #expect(CallEffect(status: 200, errorCode: nil) == .applied)
        #expect(CallEffect(status: 400, errorCode: -2019) == .rejected)
        #expect(CallEffect(status: 429, errorCode: -1003) == .rejected)
        #expect(CallEffect(status: 503, errorCode: -1008) == .unknown)
        #expect(CallEffect(status: 408, errorCode: -1007) == .unknown)
        #expect(CallEffect(.unavailable) == .notSent)
        #expect(CallEffect(.overloaded) == .notSent)
        #expect(CallEffect(.timedOut) == .unknown)
        #expect(CallEffect(.disconnected(outcomeUnknown: true)) == .unknown)
        #expect(
            !CallEffect.notSent.isFinal && !CallEffect.rejected.isFinal && CallEffect.unknown.isFinal
                && CallEffect.applied.isFinal)
    }
}
