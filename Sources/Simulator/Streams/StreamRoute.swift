/// Which of the exchange's stream endpoints a connection came in on, and what it carries.
///
/// Since 2026 the exchange splits its stream host into `/public` (book tickers and depth),
/// `/market` (everything else) and `/private` (user data). A connection without a route (the
/// legacy `/ws/…` and `/stream?streams=…`) gets public data only: a market stream there is
/// accepted and stays silent, as on the exchange.
enum StreamRoute: String, Sendable, Hashable {
    case `public`, market, legacy

    /// The route a stream's data is published on.
    static func of(stream name: String) -> StreamRoute { isPublic(name) ? .public : .market }

    /// `@bookTicker`, `!bookTicker`, `@depth…` (diff and partial) and `@rpiDepth@500ms`.
    static func isPublic(_ name: String) -> Bool {
        if name == "!bookTicker" { return true }
        guard let at = name.firstIndex(of: "@") else { return false }
        let kind = name[name.index(after: at)...]
        return kind == "bookTicker" || kind.hasPrefix("depth") || kind == "rpiDepth@500ms"
    }

    /// Whether a connection on this route receives the data of `name`.
    func carries(_ name: String) -> Bool {
        switch self {
        case .public, .legacy: Self.isPublic(name)
        case .market: !Self.isPublic(name)
        }
    }
}
