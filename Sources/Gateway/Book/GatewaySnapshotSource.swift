import Catalog
import Logging
import OrderBook
import RawJSON

/// Depth snapshots for the local books, fetched like any `ws_futures_get_order_book` call
/// (WebSocket API `depth`, through the local rate limits and the upstream metrics).
struct GatewaySnapshotSource: DepthSnapshotSource {
    let executor: CallExecutor

    func fetchSnapshot(
        symbol: String, limit: Int,
        completion: @escaping @Sendable (Result<ArraySlice<UInt8>, DepthSnapshotFailure>) -> Void
    ) {
        let plan: CallPlan
        do {
            guard let spec = CallCatalog.all.first(where: { $0.name == "ws_futures_get_order_book" }) else {
                return completion(.failure(.refused(code: 500, message: "no depth call in the catalog")))
            }
            plan = try spec.plan(CallArguments([("symbol", .text(symbol)), ("limit", .integer(String(limit)))]))
        } catch {
            return completion(.failure(.refused(code: error.code, message: error.message)))
        }
        executor.execute(plan, requestId: RequestIds.next()) { response, _ in
            let status = response.status.code
            if status == 200 { return completion(.success(response.body)) }
            let error = try? JSONObject(parsing: response.body)
            let code = error?["code"]?.integer.map(Int.init) ?? status
            let message = error?["msg"]?.string ?? "HTTP \(status)"
            // A 400 names a request the exchange will never take (an unknown symbol); the rest may pass.
            completion(.failure(status == 400 ? .refused(code: code, message: message) : .unavailable(message)))
        }
    }
}
