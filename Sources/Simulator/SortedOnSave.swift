/// A dictionary keyed by id that saves its entries in key order (the default `Codable` form of an
/// integer-keyed dictionary follows the hash order, which differs from run to run), so the same
/// state always saves as the same bytes.
@propertyWrapper
struct SortedOnSave<Value: Codable & Sendable>: Codable, Sendable {
    var wrappedValue: [Int64: Value]

    init(wrappedValue: [Int64: Value]) { self.wrappedValue = wrappedValue }

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var entries: [Int64: Value] = [:]
        while !container.isAtEnd {
            let key = try container.decode(Int64.self)
            entries[key] = try container.decode(Value.self)
        }
        wrappedValue = entries
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for key in wrappedValue.keys.sorted() {
            try container.encode(key)
            try container.encode(wrappedValue[key]!)
        }
    }
}
