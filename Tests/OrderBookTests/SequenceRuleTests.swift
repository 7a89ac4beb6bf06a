import Testing

@testable import OrderBook

/// A deterministic generator (SplitMix64), so a failing seed can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A small exchange book that emits diff events with `U`/`u`/`pu` and remembers its book at
/// every update id, so a local book can be compared with the truth at its `lastUpdateId`.
struct ModelExchange {
    var bids: [Int: Int] = [:]
    var asks: [Int: Int] = [:]
    var lastUpdateId: Int64 = 1000
    var history: [Int64: [[[String]]]] = [:]

    init() { history[lastUpdateId] = view }

    var view: [[[String]]] {
        [
            bids.sorted { $0.key > $1.key }.map { ["\($0.key).5", "\($0.value)"] },
            asks.sorted { $0.key < $1.key }.map { ["\($0.key).5", "\($0.value)"] },
        ]
    }

    mutating func step(_ random: inout SeededGenerator) -> DepthEvent {
        let first = lastUpdateId + 1
        lastUpdateId += Int64.random(in: 1...3, using: &random)
        var bidChanges: [(String, String)] = []
        var askChanges: [(String, String)] = []
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let isBid = Bool.random(using: &random)
            let price = isBid ? Int.random(in: 90...99, using: &random) : Int.random(in: 101...110, using: &random)
            let quantity = Int.random(in: 0...3, using: &random)
            if isBid {
                bids[price] = quantity == 0 ? nil : quantity
            } else {
                asks[price] = quantity == 0 ? nil : quantity
            }
            if isBid {
                bidChanges.append(("\(price).5", "\(quantity)"))
            } else {
                askChanges.append(("\(price).5", "\(quantity)"))
            }
        }
        history[lastUpdateId] = view
        return .make(first, lastUpdateId, pu: first - 1, bids: bidChanges, asks: askChanges)
    }

    var snapshot: DepthSnapshot {
        let parts = view
        return .make(
            lastUpdateId, bids: parts[0].map { ($0[0], $0[1]) }, asks: parts[1].map { ($0[0], $0[1]) })
    }
}

@Suite struct SequenceRuleTests {
    /// Events are lost, snapshots are taken late and answered late, out of order and twice, the
    /// feed is interrupted: whenever the machine has a book, it is the exchange's book at that
    /// book's `lastUpdateId`; and once the faults stop, it catches up.
    @Test(arguments: 1...40)
    func aServedBookIsAlwaysTheExchangesBookAtItsUpdateId(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        var exchange = ModelExchange()
        var machine = DepthSynchronizer(maximumBuffered: 50)
        // (request, step to take the snapshot at, step to deliver it at, the snapshot once taken)
        var pending: [(request: Int, takeAt: Int, deliverAt: Int, snapshot: DepthSnapshot?)] = []
        var delivered: [(Int, DepthSnapshot)] = []
        var gaps = 0
        let faultySteps = 600
        func check() throws {
            guard let book = machine.book else { return }
            let truth = try #require(exchange.history[book.lastUpdateId])
            #expect([book.bids.texts(), book.asks.texts()] == truth, "seed \(seed), id \(book.lastUpdateId)")
        }
        func handle(_ actions: [DepthSynchronizer.Action], at step: Int) {
            for action in actions {
                switch action {
                case .fetchSnapshot(let request, _):
                    let takeAt = step + Int.random(in: 0...4, using: &random)
                    pending.append((request, takeAt, takeAt + Int.random(in: 0...4, using: &random), nil))
                case .countGap: gaps += 1
                case .synced: break
                }
            }
        }
        handle(machine.start(), at: 0)
        for step in 0..<(faultySteps + 200) {
            let faulty = step < faultySteps
            let event = exchange.step(&random)
            for index in pending.indices where pending[index].takeAt <= step && pending[index].snapshot == nil {
                pending[index].snapshot = exchange.snapshot
            }
            if !(faulty && Int.random(in: 0..<40, using: &random) == 0) {
                handle(machine.receive(event), at: step)
                try check()
            }
            if faulty, Int.random(in: 0..<150, using: &random) == 0 {
                handle(machine.feedInterrupted("test"), at: step)
            }
            // Deliver due snapshots; in the faulty phase sometimes in reverse order, or an old one again.
            var due = pending.filter { $0.deliverAt <= step && $0.snapshot != nil }
            pending.removeAll { $0.deliverAt <= step && $0.snapshot != nil }
            if faulty, Bool.random(using: &random) { due.reverse() }
            for answer in due {
                handle(machine.receive(answer.snapshot!, request: answer.request), at: step)
                delivered.append((answer.request, answer.snapshot!))
                try check()
            }
            if faulty, let old = delivered.randomElement(using: &random), Int.random(in: 0..<20, using: &random) == 0 {
                handle(machine.receive(old.1, request: old.0), at: step)
                try check()
            }
        }
        #expect(machine.book?.lastUpdateId == exchange.lastUpdateId, "seed \(seed): caught up")
        #expect(gaps > 0, "seed \(seed): the faults made gaps")
    }
}
