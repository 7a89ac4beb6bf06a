import HTTP1
import HTTPServer
import OrderBook

/// `GET /v1/book?symbol=BTCUSDT&limit=100`: the top of a book the gateway maintains from the
/// diff stream (`OrderBooks`), read locally at no upstream weight. The first read of a symbol
/// starts its book and answers 503 with `Retry-After: 1` until it is synced.
struct BookRoutes: Sendable {
    /// The depths a read may ask for, as the exchange's `depth` allows them.
    static let limits = [5, 10, 20, 50, 100, 500, 1000]
    static let defaultLimit = 100

    let books: OrderBooks

    func add(to router: inout HTTPRouter) {
        router.add(.GET, "/v1/book") { [books] request in
            let symbol: String
            let limit: Int
            switch Self.parameters(request.query) {
            case .success(let parameters): (symbol, limit) = parameters
            case .failure(let refusal): return .error(refusal)
            }
            switch books.read(symbol: symbol, limit: limit) {
            case .book(let body):
                return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: body[...])
            case .syncing: return .error(BookRefusal.syncing(symbol: symbol))
            case .refused(let code, let message): return .error(BookRefusal.refused(code: code, message: message))
            case .tooManyBooks(let limit): return .error(BookRefusal.tooManyBooks(limit: limit))
            }
        }
    }

    static func parameters(_ query: Substring?) -> Result<(symbol: String, limit: Int), BookRefusal> {
        let items: [(name: String, value: String)]
        do { items = try CallRoutes.queryItems(query) } catch { return .failure(.malformedQuery) }
        var symbol: String?
        var limit = defaultLimit
        for item in items {
            switch item.name {
            case "symbol":
                guard OrderBooks.isSymbol(item.value) else { return .failure(.invalidSymbol) }
                symbol = item.value
            case "limit":
                guard let value = Int(item.value), limits.contains(value) else { return .failure(.invalidLimit) }
                limit = value
            default:
                return .failure(.unknownParameter(String(item.name.prefix(64))))
            }
        }
        guard let symbol else { return .failure(.missingSymbol) }
        return .success((symbol, limit))
    }
}
