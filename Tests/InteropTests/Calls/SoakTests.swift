import Dispatch
import Foundation
import Simulator
import Synchronization
import TestSupport
import Testing

/// One gateway process under order load while its upstream connection is dropped again and
/// again (`SOAK_DISCONNECTS` times; `scripts/soak` asks for 1,000, `scripts/test` runs a short
/// round). Half the drops come after the exchange executed the request, half before. Every
/// answer is checked against what the exchange holds: nothing lost, nothing placed twice,
/// no outcome reported wrongly; and the time to reconnect after each drop is measured.
@Suite(.serialized) struct SoakTests {
    static let disconnects = Int(ProcessInfo.processInfo.environment["SOAK_DISCONNECTS"] ?? "") ?? 40
    static let clients = 4
    static let order =
        #"{"symbol":"ETHUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"2000.00"}"#

    /// What the gateway answered for one order, by its key (its client order id).
    struct Answer {
        let key: String
        let status: Int
        let outcome: String?
    }

    @Test(.timeLimit(.minutes(4))) func disconnectsUnderOrderLoadLoseNothing() async throws {
        let venue = try Venue(weightLimit: 10_000_000, orderLimit10s: 1_000_000, orderLimit1m: 1_000_000)
        let apiKey = try #require(venue.gateway.upstreams.credentials?.apiKey)
        let answers = Mutex<[Answer]>([])
        let stop = Atomic<Bool>(false)
        let started = ContinuousClock.now
        // Clients block in recv: they get threads of their own, so Dispatch's global queues (where
        // the gateway resolves upstream addresses) are never short of one.
        let group = DispatchGroup()
        for client in 0..<Self.clients {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let connection = try? venue.client() else { return }
                var sequence = 0
                while !stop.load(ordering: .relaxed) {
                    let key = "soak-\(client)-\(sequence)"
                    sequence += 1
                    let response = try? connection.request(
                        "POST", "/v1/ws_futures_create_order", body: Self.order,
                        headers: ["Idempotency-Key": key])
                    answers.withLock {
                        $0.append(
                            Answer(
                                key: key, status: response?.status ?? 0, outcome: response?.headers["x-gateway-outcome"]
                            ))
                    }
                    if response == nil { return }
                }
            }.start()
        }
        // Alternate the two kinds of drop; measure each reconnect from the status the gateway reports
        // (polled from this thread: a task awaiting it could wait seconds for the cooperative pool).
        var recoveries: [Duration] = []
        var lastReconnects = venue.gateway.upstream.interopStatus?.reconnects ?? 0
        var downSince: ContinuousClock.Instant?
        var lastConnectedAt = ContinuousClock.now
        var kind = 0
        while lastReconnects < Self.disconnects, ContinuousClock.now - started < .seconds(170) {
            venue.faults.replace(
                with: kind.isMultiple(of: 2) ? SimulatorFaults(dropAfterExecuting: 3) : SimulatorFaults(dropAfter: 3))
            kind += 1
            guard let status = venue.gateway.upstream.interopStatus else { continue }
            let now = ContinuousClock.now
            if !status.connected {
                if downSince == nil { downSince = now }
            } else {
                if status.reconnects > lastReconnects {
                    // Seen down: from then; never seen down: at most the time since the last poll.
                    let drops = status.reconnects - lastReconnects
                    let measured = now - (downSince ?? lastConnectedAt)
                    recoveries.append(measured)
                    recoveries.append(contentsOf: Array(repeating: measured, count: drops - 1))
                    lastReconnects = status.reconnects
                }
                downSince = nil
                lastConnectedAt = now
            }
            usleep(1_000)
        }
        stop.store(true, ordering: .relaxed)
        venue.faults.replace(with: SimulatorFaults())
        group.wait()
        let elapsed = ContinuousClock.now - started

        let held = venue.simulator.exchange.orderCountsByClientOrderId(apiKey: apiKey)
        let sent = Dictionary(
            grouping: venue.journal.webSocketRequests(method: "order.place")
                .compactMap { $0.param("newClientOrderId") }, by: { $0 }
        ).mapValues(\.count)
        let all = answers.withLock { $0 }
        var lost = 0, duplicated = 0, wrong = 0, unknown = 0, applied = 0, notApplied = 0
        for answer in all {
            let count = held[answer.key] ?? 0
            if count > 1 || sent[answer.key] ?? 0 > 1 { duplicated += 1 }
            switch answer.outcome {
            case "applied":
                applied += 1
                if count == 0 { lost += 1 }
            case "not-sent", "rejected":
                notApplied += 1
                if count != 0 { wrong += 1 }
            case "unknown": unknown += 1
            default: wrong += 1
            }
        }
        let sorted = recoveries.sorted()
        let p50 = sorted.isEmpty ? .zero : sorted[sorted.count / 2]
        let maximum = sorted.last ?? .zero
        print(
            "soak: disconnects=\(lastReconnects) orders=\(all.count) applied=\(applied) not-applied=\(notApplied) "
                + "unknown=\(unknown) lost=\(lost) duplicated=\(duplicated) wrong outcome=\(wrong) "
                + "recovery p50=\(p50) max=\(maximum) elapsed=\(elapsed)")
        #expect(lastReconnects >= Self.disconnects)
        #expect(lost == 0 && duplicated == 0 && wrong == 0)
        #expect(maximum <= .seconds(1))
        #expect(elapsed <= .seconds(180))
        await venue.stop()
    }
}
