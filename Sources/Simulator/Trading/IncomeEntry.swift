/// The kinds of income the simulator books (Binance's `incomeType` values).
enum IncomeKind: String, Sendable, CaseIterable, Codable {
    case realizedPnl = "REALIZED_PNL", commission = "COMMISSION", fundingFee = "FUNDING_FEE"
    /// What a liquidated isolated position leaves to the insurance fund (its remaining margin).
    case insuranceClear = "INSURANCE_CLEAR"
}

/// One change of an account's wallet, as `GET /fapi/v1/income` lists it. `amount` is signed,
/// in 10^-8 USDT; `tradeId` names the fill that caused it (realized profit, commission).
struct IncomeEntry: Sendable, Codable {
    let symbol: String
    let kind: IncomeKind
    let amount: Int64
    let time: Int64
    let tranId: Int64
    let tradeId: Int64?

    /// The official row shape: `{"symbol","incomeType","income","asset","info","time","tranId","tradeId"}`.
    var json: String {
        #"{"symbol":"\#(symbol)","incomeType":"\#(kind.rawValue)","income":"\#(TradingMath.format8(amount))","#
            + #""asset":"USDT","info":"\#(kind.rawValue)","time":\#(time),"tranId":\#(tranId),"#
            + #""tradeId":"\#(tradeId.map(String.init) ?? "")"}"#
    }
}

extension TradingAccount {
    /// How many income entries an account keeps (the oldest leave first).
    static let incomeCapacity = 10_000

    mutating func record(_ entry: IncomeEntry) {
        income.append(entry)
        if income.count > Self.incomeCapacity { income.removeFirst(income.count - Self.incomeCapacity) }
    }
}
