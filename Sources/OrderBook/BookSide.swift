/// One side of a book: its price levels sorted so that the best price is last, which makes the
/// frequent changes near the top cheap to insert and remove, and reading the top N a walk back
/// from the end.
///
/// A side holds at most `capacity` levels; past it the level farthest from the top is dropped
/// (a later absolute update for it brings it back).
public struct BookSide: Sendable {
    /// Which way is better: bids want the highest price, asks the lowest.
    public enum Kind: Sendable {
        case bids, asks
    }

    /// One price level: the price, its absolute quantity, and the sort key (best = largest).
    public struct Level: Sendable, Equatable {
        let key: Int64
        public let price: BookDecimal
        public let quantity: BookDecimal
    }

    public static let defaultCapacity = 5_000

    public let kind: Kind
    public let capacity: Int
    private(set) var levels: [Level] = []

    public init(_ kind: Kind, capacity: Int = defaultCapacity) {
        self.kind = kind
        self.capacity = capacity
    }

    public var count: Int { levels.count }

    private func key(_ price: BookDecimal) -> Int64 { kind == .bids ? price.units : -price.units }

    /// The index of the first level whose key is not below `key`.
    private func lowerBound(_ key: Int64) -> Int {
        var low = 0
        var high = levels.count
        while low < high {
            let middle = (low + high) / 2
            if levels[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Sets a level's absolute quantity; zero removes it, and removing an unknown level is a no-op.
    public mutating func set(price: BookDecimal, quantity: BookDecimal) {
        let key = key(price)
        let index = lowerBound(key)
        let exists = index < levels.count && levels[index].key == key
        if quantity.isZero {
            if exists { levels.remove(at: index) }
        } else if exists {
            levels[index] = Level(key: key, price: price, quantity: quantity)
        } else {
            levels.insert(Level(key: key, price: price, quantity: quantity), at: index)
            if levels.count > capacity { levels.removeFirst() }
        }
    }

    /// Replaces every level with `entries` (a snapshot), in any order.
    public mutating func replace(with entries: [(price: BookDecimal, quantity: BookDecimal)]) {
        levels.removeAll(keepingCapacity: true)
        for entry in entries { set(price: entry.price, quantity: entry.quantity) }
    }

    /// The best `limit` levels, best first.
    public func top(_ limit: Int) -> ArraySlice<Level> {
        levels[max(0, levels.count - limit)...]
    }

    /// Appends `[["price","qty"],…]` for the best `limit` levels, best first.
    public func writeJSON(top limit: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        let top = top(limit)
        var index = top.endIndex
        while index > top.startIndex {
            index -= 1
            if index != top.endIndex - 1 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"[""#.utf8)
            top[index].price.write(into: &out)
            out.append(contentsOf: #"",""#.utf8)
            top[index].quantity.write(into: &out)
            out.append(contentsOf: #""]"#.utf8)
        }
        out.append(UInt8(ascii: "]"))
    }
}
