import EventLoops
import HTTP1
import HTTPServer
import RawJSON

/// The stream side of the simulator's admin surface, present only with the admin switch on
/// (`--fault-admin`), like `/admin/faults`:
/// - `GET /admin/streams`: the open market-stream connections, their route and streams, and how
///   many SUBSCRIBE messages were accepted (see `MarketStreamHub.adminJSON`);
/// - `GET`/`POST /admin/market` `{"stepIntervalMs":N}`: the market-activity rate (`null` or 0: off).
enum StreamAdminRoutes {
    static let streamsPath = "/admin/streams"
    static let marketPath = "/admin/market"

    static func register(
        on router: inout HTTPRouter, faults: SimulatorFaultSwitch, exchange: SimulatedExchange, ticker: StreamTicker
    ) {
        guard faults.adminEnabled else { return }
        let hub = exchange.marketStreams
        router.add(.GET, streamsPath) { _ in .json(.ok, hub.adminJSON) }
        router.add(.GET, marketPath) { _ in .json(.ok, marketJSON(ticker)) }
        router.add(.POST, marketPath) { (request: HTTPRequest) -> HTTPResponse in
            guard let object = try? JSONObject(parsing: request.body),
                object.members.allSatisfy({ $0.key == "stepIntervalMs" })
            else { return .error(FaultSettingsRefusal(reason: #"the body must be {"stepIntervalMs":N}"#)) }
            let value = object["stepIntervalMs"]
            if let value, !value.isNull {
                guard let millis = value.integer, millis >= 0, millis <= 86_400_000 else {
                    return .error(FaultSettingsRefusal(reason: "stepIntervalMs must be 0 to 86400000"))
                }
                ticker.setMarketStepInterval(.milliseconds(millis))
            } else {
                ticker.setMarketStepInterval(nil)
            }
            return .json(.ok, marketJSON(ticker))
        }
    }

    private static func marketJSON(_ ticker: StreamTicker) -> String {
        #"{"stepIntervalMs":\#(ticker.marketStepInterval.map { String($0.milliseconds) } ?? "null")}"#
    }
}
