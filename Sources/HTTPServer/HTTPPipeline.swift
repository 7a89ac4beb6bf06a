import HTTP1

/// The requests of one HTTP/1 connection whose answers are not encoded yet, in request order, and
/// the `100 Continue` owed behind them. A pure value, confined to the connection's loop.
///
/// Answers may come in any order; they leave in request order (`popReady`). A request that asks
/// to switch protocols is the last one decoded until it is answered (`awaitsUpgrade`), and a
/// `100 Continue` asked for while earlier answers are owed waits until they are encoded, so that
/// it never goes out before them.
struct HTTPPipeline {
    /// A request handed to the handler, waiting for its response and its turn to be written.
    struct Slot {
        let sequence: Int
        let isHead: Bool
        let keepAlive: Bool
        let version: HTTPVersion
        /// The request asks to switch protocols: nothing after it is decoded until it is answered.
        var isUpgradeRequest = false
        var response: HTTPResponse?
        /// Set when the handler upgrades: who takes the connection once the response is written.
        var takeOver: HTTPResponder.TakeOver?
    }

    private var slots: [Slot] = []
    /// The sequence number the next request gets.
    private(set) var nextSequence = 0
    /// A `100 Continue` waits for the answers before it to be encoded.
    private(set) var continueOwed = false

    var isEmpty: Bool { slots.isEmpty }

    /// Requests waiting for their answer or for their turn.
    var count: Int { slots.count }

    /// The last request decoded asks to switch protocols and is not answered yet: later bytes
    /// may not be HTTP, so nothing more is decoded.
    var awaitsUpgrade: Bool { !slots.isEmpty && slots[slots.count - 1].isUpgradeRequest }

    /// Body bytes of the answers made and waiting for their turn.
    var heldBodyBytes: Int {
        var held = 0
        for slot in slots { held += slot.response?.body.count ?? 0 }
        return held
    }

    /// A decoded request goes to the handler; returns its sequence number. A `100 Continue`
    /// still owed is dropped: the body it invited has come.
    @inline(__always)
    mutating func append(isHead: Bool, keepAlive: Bool, version: HTTPVersion, isUpgradeRequest: Bool) -> Int {
        let sequence = nextSequence
        nextSequence += 1
        continueOwed = false
        slots.append(
            Slot(
                sequence: sequence, isHead: isHead, keepAlive: keepAlive, version: version,
                isUpgradeRequest: isUpgradeRequest))
        return sequence
    }

    /// An answer the server makes itself (a parse error, a timeout), after which it closes.
    mutating func appendFinal(_ response: HTTPResponse) {
        let sequence = nextSequence
        nextSequence += 1
        slots.append(Slot(sequence: sequence, isHead: false, keepAlive: false, version: .http1_1, response: response))
    }

    /// Records the handler's answer to request `sequence`. False if the request is gone (the
    /// connection was closed) or already answered: that answer is dropped.
    @inline(__always)
    mutating func record(_ response: HTTPResponse, takeOver: HTTPResponder.TakeOver?, for sequence: Int) -> Bool {
        guard let first = slots.first, sequence >= first.sequence, sequence - first.sequence < slots.count,
            slots[sequence - first.sequence].response == nil
        else { return false }
        slots[sequence - first.sequence].response = response
        slots[sequence - first.sequence].takeOver = takeOver
        return true
    }

    /// The first request if its answer is made, taken out of the pipeline: the next to encode.
    @inline(__always)
    mutating func popReady() -> Slot? {
        guard let slot = slots.first, slot.response != nil else { return nil }
        slots.removeFirst()
        return slot
    }

    /// The client asks for a `100 Continue`: true if it may be sent now, else it is owed.
    mutating func continueRequested() -> Bool {
        if slots.isEmpty { return true }
        continueOwed = true
        return false
    }

    /// True once, when a `100 Continue` is owed and every answer before it is encoded.
    @inline(__always)
    mutating func takeOwedContinue() -> Bool {
        guard slots.isEmpty, continueOwed else { return false }
        continueOwed = false
        return true
    }

    /// Nothing more will be answered (the connection ends after the answer just encoded, or closes).
    mutating func removeAll() {
        slots.removeAll()
        continueOwed = false
    }
}
