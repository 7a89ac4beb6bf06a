/// A call's upstream request weight, which may depend on its parameters (reference tables).
public enum RequestWeight: Sendable, Hashable {
    case fixed(Int)
    /// One weight with `symbol`, another for all symbols.
    case bySymbol(with: Int, without: Int)
    /// `depth`: 2 up to 50 levels, 5 for 100, 10 for 500 (the default), 20 for 1000.
    case depthLimit
    /// Klines: 1 below 100, 2 below 500 (default 500 is 2), 5 up to 1000, 10 above.
    case klineLimit

    public func weight(for arguments: CallArguments) -> Int {
        switch self {
        case .fixed(let weight): return weight
        case .bySymbol(let with, let without): return arguments.contains("symbol") ? with : without
        case .depthLimit:
            let limit = arguments["limit"].flatMap { Int($0.plainText) } ?? 500
            switch limit {
            case ...50: return 2
            case ...100: return 5
            case ...500: return 10
            default: return 20
            }
        case .klineLimit:
            let limit = arguments["limit"].flatMap { Int($0.plainText) } ?? 500
            switch limit {
            case ..<100: return 1
            case ..<500: return 2
            case ...1000: return 5
            default: return 10
            }
        }
    }
}
