import Testing

@testable import OrderBook

extension BookDecimal {
    /// A value from literal test text.
    static func of(_ text: String) -> BookDecimal { BookDecimal(text)! }
}

extension BookSide {
    /// The best `limit` levels as text, best first.
    func texts(_ limit: Int = .max) -> [[String]] {
        top(limit).reversed().map { [$0.price.text, $0.quantity.text] }
    }

    mutating func set(_ price: String, _ quantity: String) {
        set(price: .of(price), quantity: .of(quantity))
    }
}

@Suite struct BookSideTests {
    @Test func bidsAreBestFirstFromTheHighestPrice() {
        var bids = BookSide(.bids)
        for price in ["100.1", "99", "100.25", "98.5"] { bids.set(price, "1") }
        #expect(bids.texts().map { $0[0] } == ["100.25", "100.1", "99", "98.5"])
        #expect(bids.texts(2).map { $0[0] } == ["100.25", "100.1"])
    }

    @Test func asksAreBestFirstFromTheLowestPrice() {
        var asks = BookSide(.asks)
        for price in ["100.1", "99", "100.25", "98.5"] { asks.set(price, "1") }
        #expect(asks.texts().map { $0[0] } == ["98.5", "99", "100.1", "100.25"])
    }

    @Test func quantitiesAreAbsoluteAndZeroRemoves() {
        var asks = BookSide(.asks)
        asks.set("10", "1.5")
        asks.set("10", "0.250")
        #expect(asks.texts() == [["10", "0.250"]])
        asks.set("10", "0")
        #expect(asks.count == 0)
    }

    @Test func removingAnUnknownLevelChangesNothing() {
        var bids = BookSide(.bids)
        bids.set("10", "1")
        bids.set("11", "0.000")
        #expect(bids.texts() == [["10", "1"]])
    }

    @Test func pastItsCapacityTheLevelFarthestFromTheTopGoes() {
        var bids = BookSide(.bids, capacity: 3)
        for price in ["1", "2", "3", "4"] { bids.set(price, "1") }
        #expect(bids.texts().map { $0[0] } == ["4", "3", "2"])
    }

    @Test func theTopIsWrittenAsTheExchangeWritesIt() {
        var asks = BookSide(.asks)
        asks.set("7405.96", "3.340")
        asks.set("7406.00", "0.001")
        var out: [UInt8] = []
        asks.writeJSON(top: 5, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"[["7405.96","3.340"],["7406.00","0.001"]]"#)
        out = []
        BookSide(.bids).writeJSON(top: 5, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "[]")
    }
}
