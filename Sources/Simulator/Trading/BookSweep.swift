/// Walking one side of the book for an order: level by level, best price first, up to the
/// order's limit price, and not past what earlier orders already took from a level.
enum BookSweep {
    struct Fill: Equatable {
        let price: Int64
        let quantity: Int64
    }

    /// - Parameters:
    ///   - levels: the opposite side, best first (asks for a BUY, bids for a SELL).
    ///   - limit: the order's price, or `nil` for a MARKET order.
    ///   - consumed: quantity already taken per price level; updated.
    static func sweep(
        _ side: OrderSide, limit: Int64?, levels: [MarketData.Level], quantity: Int64,
        consumed: inout [Int64: Int64]
    ) -> [Fill] {
        var left = quantity
        var fills: [Fill] = []
        for level in levels where left > 0 {
            if let limit, side == .buy ? level.price > limit : level.price < limit { break }
            let take = min(left, level.quantity - consumed[level.price, default: 0])
            guard take > 0 else { continue }
            fills.append(Fill(price: level.price, quantity: take))
            consumed[level.price, default: 0] += take
            left -= take
        }
        return fills
    }

    static func sweep(_ side: OrderSide, limit: Int64?, book: MarketData.Book, quantity: Int64) -> [Fill] {
        var consumed: [Int64: Int64] = [:]
        return sweep(
            side, limit: limit, levels: side == .buy ? book.asks : book.bids, quantity: quantity, consumed: &consumed)
    }
}
