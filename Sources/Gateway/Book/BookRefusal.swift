import HTTP1
import HTTPServer

/// Answers of `GET /v1/book` other than a book, in the `{"code","msg"}` shape.
enum BookRefusal: APIError, Equatable {
    case missingSymbol
    case invalidSymbol
    case invalidLimit
    case unknownParameter(String)
    case malformedQuery
    /// The book is being (re)built from a snapshot; try again shortly.
    case syncing(symbol: String)
    case tooManyBooks(limit: Int)
    /// The exchange refused the symbol's snapshot (its code and message, passed on).
    case refused(code: Int, message: String)

    var status: HTTPStatus {
        switch self {
        case .missingSymbol, .invalidSymbol, .invalidLimit, .unknownParameter, .malformedQuery, .refused: .badRequest
        case .syncing, .tooManyBooks: .serviceUnavailable
        }
    }

    var code: Int {
        if case .refused(let code, _) = self { return code }
        return status.code
    }

    var message: String {
        switch self {
        case .missingSymbol: "symbol is required"
        case .invalidSymbol: "symbol must be 1 to 32 characters A-Z, 0-9 or _"
        case .invalidLimit: "limit must be one of \(BookRoutes.limits.map(String.init).joined(separator: ", "))"
        case .unknownParameter(let name): "unknown parameter \(name); use symbol and limit"
        case .malformedQuery: "bad percent-encoding in the query string"
        case .syncing(let symbol): "the order book of \(symbol) is syncing; try again shortly"
        case .tooManyBooks(let limit): "the gateway already maintains \(limit) order books; try again when one is idle"
        case .refused(_, let message): message
        }
    }

    var headers: HTTPHeaders {
        switch self {
        case .syncing: ["Retry-After": "1"]
        case .tooManyBooks: ["Retry-After": "60"]
        default: [:]
        }
    }
}
