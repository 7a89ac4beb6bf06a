import Foundation
import Synchronization

/// The simulated Binance USDⓈ-M Futures WebSocket API: a request frame in, the answer frame out,
/// in the real envelope `{"id","status","result"|"error","rateLimits"}`.
///
/// This first slice serves the market-data methods (`depth`, `ticker.price`, `ticker.book`) with
/// the real shapes, weights and errors. Its state has one owner, a mutex: connections on
/// different loops call it concurrently.
public final class SimulatedExchange: Sendable {
    private struct State {
        var market: MarketData
        var limiter: RequestWeightLimiter
    }

    private let state: Mutex<State>
    private let clock: @Sendable () -> Int64

    /// - Parameters:
    ///   - seed: the same seed and the same requests give the same books.
    ///   - weightLimit: REQUEST_WEIGHT per minute (the exchange's is 2400).
    ///   - clock: milliseconds since the epoch (tests pin it).
    public init(seed: UInt64, weightLimit: Int = 2400, refusalsBeforeBan: Int = 10,
                clock: @escaping @Sendable () -> Int64 = SimulatedExchange.wallClockMillis) {
        state = Mutex(State(market: MarketData(seed: seed),
                            limiter: RequestWeightLimiter(limit: weightLimit, refusalsBeforeBan: refusalsBeforeBan)))
        self.clock = clock
    }

    /// Answers one request frame.
    public func handle(_ frame: [UInt8]) -> [UInt8] {
        let now = clock()
        guard let request = try? JSONSerialization.jsonObject(with: Data(frame)) as? [String: Any],
              let method = request["method"] as? String, let id = Self.idJSON(request["id"])
        else {
            return Self.envelope(id: "null", status: 400, body: #""error":\#(ExchangeError.malformedRequest.json)"#, limits: nil)
        }
        let params = request["params"] as? [String: Any] ?? [:]
        return state.withLock { state in
            let outcome = answer(method, params, now: now, state: &state)
            let limits = state.limiter.rateLimitsJSON()
            switch outcome {
            case .success(let result): return Self.envelope(id: id, status: 200, body: #""result":\#(result)"#, limits: limits)
            case .failure(let error): return Self.envelope(id: id, status: error.status, body: #""error":\#(error.json)"#, limits: limits)
            }
        }
    }

    private func answer(_ method: String, _ params: [String: Any], now: Int64, state: inout State) -> Result<String, ExchangeError> {
        let symbol = params["symbol"] as? String
        let spec = symbol.flatMap { SymbolSpec.bySymbol[$0] }
        if symbol != nil && spec == nil { return .failure(.invalidSymbol) }
        switch method {
        case "depth":
            guard let spec else { return .failure(.mandatoryParameter("symbol")) }
            let limit: Int
            switch Self.integer(params["limit"]) {
            case .some(let value?): limit = value
            case .some(nil): return .failure(.invalidParameter("limit"))
            case nil: limit = 500
            }
            guard let weight = MarketDataFormat.depthWeights[limit] else { return .failure(.invalidParameter("limit")) }
            if case .failure(let error) = state.limiter.charge(weight, now: now) { return .failure(error) }
            return .success(MarketDataFormat.depth(state.market.step(spec, depth: limit), spec: spec, now: now))
        case "ticker.price", "ticker.book":
            let book = method == "ticker.book"
            let weight = spec == nil ? (book ? 5 : 2) : (book ? 2 : 1)
            if case .failure(let error) = state.limiter.charge(weight, now: now) { return .failure(error) }
            let specs = spec.map { [$0] } ?? SymbolSpec.all
            let rows = specs.map { spec in
                let top = state.market.step(spec, depth: 1)
                return book ? MarketDataFormat.bookTicker(top, spec: spec, now: now)
                    : MarketDataFormat.priceTicker(state.market.mid(spec), spec: spec, now: now)
            }
            return .success(spec == nil ? "[" + rows.joined(separator: ",") + "]" : rows[0])
        default:
            return .failure(.unknownMethod(method))
        }
    }

    /// The request id as JSON text (string, integer or null), or `nil` when it is none of those.
    private static func idJSON(_ id: Any?) -> String? {
        switch id {
        case let text as String: JSONLiteral.string(text)
        case let number as NSNumber where !number.isBoolean && number.doubleValue.rounded() == number.doubleValue:
            number.stringValue
        case is NSNull, nil: "null"
        default: nil
        }
    }

    /// `.some(value)` for an integer (or all-digit string), `.some(nil)` for anything else, `nil` when absent.
    private static func integer(_ value: Any?) -> Int?? {
        guard let value else { return nil }
        switch value {
        case let number as NSNumber where !number.isBoolean && number.doubleValue.rounded() == number.doubleValue:
            return .some(number.intValue)
        case let text as String:
            return .some(Int(text))
        default:
            return .some(nil)
        }
    }

    private static func envelope(id: String, status: Int, body: String, limits: String?) -> [UInt8] {
        var text = #"{"id":\#(id),"status":\#(status),\#(body)"#
        if let limits { text += #","rateLimits":\#(limits)"# }
        return Array((text + "}").utf8)
    }

    public static let wallClockMillis: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

extension NSNumber {
    /// JSON `true`/`false` also decode as NSNumber; their Objective-C type is `c` (char).
    var isBoolean: Bool { String(cString: objCType) == "c" }
}
