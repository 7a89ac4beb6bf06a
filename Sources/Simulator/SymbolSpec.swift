/// One tradable contract of the simulated exchange, with the filters the real one enforces.
///
/// Prices and quantities are kept as integer counts of their smallest unit, so the
/// simulator never rounds through floating point and prints exactly the exchange's digits.
public struct SymbolSpec: Sendable, Hashable {
    public let symbol: String
    public let baseAsset: String
    public let quoteAsset: String
    /// Digits after the point for prices, and the tick in units of 10^-priceDecimals.
    public let priceDecimals: Int
    public let tickUnits: Int64
    /// Digits after the point for quantities, and the step in units of 10^-quantityDecimals.
    public let quantityDecimals: Int
    public let stepUnits: Int64
    /// Smallest order notional, in quote units.
    public let minNotional: Int64
    /// Where the random walk starts, in price units.
    public let startPriceUnits: Int64

    public func formatPrice(_ units: Int64) -> String { DecimalText.format(units, decimals: priceDecimals) }
    public func formatQuantity(_ units: Int64) -> String { DecimalText.format(units, decimals: quantityDecimals) }

    /// The contracts the simulator lists, like the exchange's `exchangeInfo`.
    public static let all: [SymbolSpec] = [
        SymbolSpec(
            symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", priceDecimals: 2, tickUnits: 10,
            quantityDecimals: 3, stepUnits: 1, minNotional: 100, startPriceUnits: 43_187_10),
        SymbolSpec(
            symbol: "ETHUSDT", baseAsset: "ETH", quoteAsset: "USDT", priceDecimals: 2, tickUnits: 1,
            quantityDecimals: 3, stepUnits: 1, minNotional: 20, startPriceUnits: 2_315_42),
        SymbolSpec(
            symbol: "BNBUSDT", baseAsset: "BNB", quoteAsset: "USDT", priceDecimals: 3, tickUnits: 10,
            quantityDecimals: 2, stepUnits: 1, minNotional: 5, startPriceUnits: 312_450),
        SymbolSpec(
            symbol: "SOLUSDT", baseAsset: "SOL", quoteAsset: "USDT", priceDecimals: 4, tickUnits: 100,
            quantityDecimals: 0, stepUnits: 1, minNotional: 5, startPriceUnits: 98_1200),
        SymbolSpec(
            symbol: "XRPUSDT", baseAsset: "XRP", quoteAsset: "USDT", priceDecimals: 4, tickUnits: 1,
            quantityDecimals: 1, stepUnits: 1, minNotional: 5, startPriceUnits: 6123),
    ]

    public static let bySymbol: [String: SymbolSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.symbol, $0) })
}

/// Fixed-point numbers as the exchange prints them: `units` of 10^-decimals, all digits kept.
enum DecimalText {
    static func format(_ units: Int64, decimals: Int) -> String {
        let negative = units < 0
        var digits = String(units.magnitude)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return negative ? "-" + digits : digits
    }
}
