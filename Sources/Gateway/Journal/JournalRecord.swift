import Catalog
import HTTP1
import Journal
import RawJSON

/// How calls and answers are written to the journal and read back from it.
enum JournalRecord {
    /// Header fields an answer keeps in the journal: the ones the gateway sets itself.
    static let keptHeaders = [
        "Content-Type", "X-Gateway-Outcome", "X-Gateway-Transport", "X-Gateway-Reconciled",
        "X-Client-Order-Id", "X-Upstream-Status", "Retry-After",
    ]

    static func entry(_ plan: CallPlan, requestId: String, claim: IdempotencyClaim?, nowMillis: Int64) -> JournalEntry {
        let arguments =
            "{"
            + plan.arguments.entries.map { JSONString.quoted($0.name) + ":" + $0.value.jsonText }
            .joined(separator: ",") + "}"
        return JournalEntry(
            createdMillis: nowMillis, requestId: requestId, call: plan.call, target: plan.target.description,
            security: "\(plan.security)", arguments: arguments, clientOrderIdKey: plan.clientOrderIdKey,
            clientOrderId: plan.clientOrderId, idempotencyKey: claim?.key, fingerprint: claim?.fingerprint ?? [])
    }

    static func answer(_ response: HTTPResponse) -> JournalAnswer {
        let headers = keptHeaders.compactMap { name in response.headers[name].map { "\(name): \($0)" } }
        return JournalAnswer(
            status: response.status.code, headers: headers.joined(separator: "\n"), body: Array(response.body))
    }

    static func response(_ answer: JournalAnswer) -> HTTPResponse {
        var headers = HTTPHeaders()
        for line in answer.headers.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.set(String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst()))
        }
        return HTTPResponse(status: HTTPStatus(code: answer.status), headers: headers, body: answer.body)
    }

    /// The plan an entry was sent as, to look its outcome up again; `nil` for an unreadable entry.
    static func plan(_ entry: JournalEntry) -> CallPlan? {
        let target: UpstreamTarget
        if let space = entry.target.firstIndex(of: " ") {
            guard let method = HTTPMethod(rawValue: String(entry.target[..<space])) else { return nil }
            target = .rest(method, String(entry.target[entry.target.index(after: space)...]))
        } else {
            target = .webSocket(entry.target)
        }
        let security: Security =
            switch entry.security {
            case "none": .none
            case "apiKey": .apiKey
            default: .signed
            }
        guard let object = try? JSONObject(parsing: Array(entry.arguments.utf8)) else { return nil }
        let arguments = CallArguments(
            object.members.map { member in
                switch member.value {
                case .string(let text): (member.key, .text(text))
                case .raw(let text) where text.hasPrefix("["): (member.key, .list(text))
                case .raw(let text), .object(_, let text): (member.key, .integer(text))
                }
            })
        return CallPlan(
            call: entry.call, target: target, security: security, changesState: true, arguments: arguments,
            weight: 1, orders: 0, clientOrderIdKey: entry.clientOrderIdKey)
    }
}

/// An `Idempotency-Key` and the call and parameters it was claimed for.
struct IdempotencyClaim: Sendable, Hashable {
    let key: String
    let fingerprint: [UInt8]
}
