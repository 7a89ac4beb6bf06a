/// One request's parameters as text (as the client sent them), read the way the exchange reads
/// them: typed values out, or the exchange's own error for a missing, malformed or unknown value.
struct TradingParams {
    let values: [String: String]

    init(_ values: [String: String]) { self.values = values }

    /// The value, with an empty text counting as absent (the exchange says "was empty/null").
    func optional(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    func required(_ name: String) throws(ExchangeError) -> String {
        guard let value = optional(name) else { throw .mandatoryParameter(name) }
        return value
    }

    func choice<T: RawRepresentable>(
        _ name: String, default value: T? = nil,
        invalid: ExchangeError? = nil
    ) throws(ExchangeError) -> T where T.RawValue == String {
        guard let text = optional(name) else {
            if let value { return value }
            throw .mandatoryParameter(name)
        }
        guard let parsed = T(rawValue: text) else { throw invalid ?? .invalidParameter(name) }
        return parsed
    }

    func bool(_ name: String) throws(ExchangeError) -> Bool {
        switch optional(name)?.lowercased() {
        case nil, "false": false
        case "true": true
        default: throw .invalidParameter(name)
        }
    }

    func integer(_ name: String) throws(ExchangeError) -> Int64? {
        guard let text = optional(name) else { return nil }
        guard let value = Int64(text) else { throw .invalidParameter(name) }
        return value
    }

    /// A non-negative decimal as a count of 10^-decimals: "0.010" with 3 decimals is 10.
    /// Digits beyond `decimals` that are not zero are the exchange's precision error.
    func units(_ name: String, decimals: Int) throws(ExchangeError) -> Int64 {
        let text = try required(name)
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count > 1 ? parts[1] : ""
        let isDigits = { (part: Substring) in part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard isDigits(whole), isDigits(fraction), !(whole.isEmpty && fraction.isEmpty), whole.count <= 12 else {
            throw .mandatoryParameter(name)
        }
        let kept = fraction.prefix(decimals), dropped = fraction.dropFirst(decimals)
        guard dropped.allSatisfy({ $0 == "0" }) else { throw .precisionOver }
        let padded = String(kept) + String(repeating: "0", count: decimals - kept.count)
        return Int64(whole.isEmpty ? "0" : String(whole))! * TradingMath.pow10(decimals) + (Int64(padded) ?? 0)
    }
}

/// Fixed-point helpers shared by the trading types: quote amounts are kept in 10^-8 USDT.
enum TradingMath {
    static let quoteDecimals = 8

    static func pow10(_ exponent: Int) -> Int64 { (0..<max(0, exponent)).reduce(1) { value, _ in value * 10 } }

    /// price units × quantity units → 10^-8 quote.
    static func quote(price: Int64, quantity: Int64, _ spec: SymbolSpec) -> Int64 {
        price * quantity * pow10(quoteDecimals - spec.priceDecimals - spec.quantityDecimals)
    }

    /// `value × numerator / denominator`, without overflow in between, truncated toward zero.
    static func scale(_ value: Int64, _ numerator: Int64, _ denominator: Int64) -> Int64 {
        denominator == 0 ? 0 : Int64(Int128(value) * Int128(numerator) / Int128(denominator))
    }

    static func format8(_ value: Int64) -> String { DecimalText.format(value, decimals: quoteDecimals) }

    /// A 10^-8 amount with trailing zeros dropped, at least one decimal: "43187.1", "0.0".
    static func trimmed8(_ value: Int64) -> String {
        var text = format8(value)
        while text.hasSuffix("0") && !text.hasSuffix(".0") { text.removeLast() }
        return text
    }

    /// The mark price in 10^-8 quote: the mid of the book's best bid and ask.
    static func mark(_ book: MarketData.Book, _ spec: SymbolSpec) -> Int64 {
        guard let bid = book.bids.first?.price, let ask = book.asks.first?.price else { return 0 }
        return (bid + ask) * pow10(quoteDecimals - spec.priceDecimals) / 2
    }
}
