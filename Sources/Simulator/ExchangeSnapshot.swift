import FoundationEssentials

/// Everything a paper account needs to survive a restart: the market's walk, every account with
/// its orders, positions and income, the algo orders, the fills and the funding settled so far.
/// Rate-limit windows, sessions and listen keys are not kept (a restart is a new connection).
struct ExchangeSnapshot: Codable {
    static let currentVersion = 1

    let version: Int
    let seed: UInt64
    let market: MarketData
    let trading: TradingEngine
    let algos: AlgoEngine
    let settledFunding: Int64?
}

/// Why a saved state could not be restored.
public enum ExchangeSnapshotError: Error, Sendable, CustomStringConvertible {
    case unreadable(String)
    case otherVersion(Int)
    case otherSeed(saved: UInt64, running: UInt64)

    public var description: String {
        switch self {
        case .unreadable(let reason): "the saved state cannot be read: \(reason)"
        case .otherVersion(let version):
            "the saved state has format version \(version), this simulator reads \(ExchangeSnapshot.currentVersion)"
        case .otherSeed(let saved, let running): "the saved state was made with --seed \(saved), not \(running)"
        }
    }
}

extension SimulatedExchange {
    /// The exchange's state as JSON (see `ExchangeSnapshot`).
    public func snapshot() -> [UInt8] {
        let snapshot = state.withLock {
            ExchangeSnapshot(
                version: ExchangeSnapshot.currentVersion, seed: $0.market.seed, market: $0.market,
                trading: $0.trading, algos: $0.algos, settledFunding: $0.settledFunding)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain structs of numbers, strings and arrays cannot fail.
        return Array((try? encoder.encode(snapshot)) ?? Data())
    }

    /// Replaces the exchange's state with a saved one made with the same seed.
    public func restore(_ bytes: [UInt8]) throws(ExchangeSnapshotError) {
        let snapshot: ExchangeSnapshot
        do { snapshot = try JSONDecoder().decode(ExchangeSnapshot.self, from: Data(bytes)) } catch {
            throw .unreadable(String(describing: error))
        }
        guard snapshot.version == ExchangeSnapshot.currentVersion else { throw .otherVersion(snapshot.version) }
        let running = state.withLock { $0.market.seed }
        guard snapshot.seed == running else { throw .otherSeed(saved: snapshot.seed, running: running) }
        state.withLock {
            $0.market = snapshot.market
            $0.trading = snapshot.trading
            $0.algos = snapshot.algos
            $0.settledFunding = snapshot.settledFunding
        }
    }
}
