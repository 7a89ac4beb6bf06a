import HTTP1
import HTTPServer
import Journal
import Pacing
import RawJSON

/// `GET /v1/journal?since=MILLIS&limit=N`: recent state-changing requests with their outcomes,
/// oldest first (`outcome` null while in flight). `since` defaults to 24 hours ago, `limit`
/// to 100 (at most 1000); the next page starts after the last `createdAt` returned.
struct JournalRoutes: Sendable {
    let journal: CallJournal

    func add(to router: inout HTTPRouter) {
        router.add(.GET, "/v1/journal") { [journal] request, responder in
            let query: (since: Int64, limit: Int)
            do throws(JournalQueryError) { query = try Self.query(request.query) } catch {
                return responder.respond(error)
            }
            journal.entries(since: query.since, limit: query.limit) { entries in
                responder.respond(.json(.ok, "[" + entries.map(Self.json).joined(separator: ",") + "]"))
            }
        }
    }

    static func query(_ text: Substring?) throws(JournalQueryError) -> (since: Int64, limit: Int) {
        var since = ServerClock.wallClockMillis() - 24 * 3600 * 1000
        var limit = 100
        for pair in (text ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? parts[1] : ""
            switch parts[0] {
            case "since":
                guard let number = Int64(value), number >= 0 else {
                    throw .invalid("since must be milliseconds since the epoch")
                }
                since = number
            case "limit":
                guard let number = Int(value), (1...1000).contains(number) else {
                    throw .invalid("limit must be 1 to 1000")
                }
                limit = number
            default:
                throw .invalid("unknown parameter; use since and limit")
            }
        }
        return (since, limit)
    }

    static func json(_ entry: JournalEntry) -> String {
        func text(_ value: String?) -> String { value.map(JSONString.quoted) ?? "null" }
        func number(_ value: (some BinaryInteger)?) -> String { value.map { "\($0)" } ?? "null" }
        return #"{"id":\#(entry.id),"createdAt":\#(entry.createdMillis),"requestId":\#(text(entry.requestId)),"#
            + #""call":\#(text(entry.call)),"upstream":\#(text(entry.target)),"arguments":\#(entry.arguments),"#
            + #""clientOrderId":\#(text(entry.clientOrderId)),"idempotencyKey":\#(text(entry.idempotencyKey)),"#
            + #""outcome":\#(text(entry.outcome)),"status":\#(number(entry.answer?.status)),"#
            + #""finishedAt":\#(number(entry.finishedMillis))}"#
    }
}

/// A `/v1/journal` query the gateway cannot answer.
enum JournalQueryError: APIError, Hashable {
    case invalid(String)

    var status: HTTPStatus { .badRequest }

    var message: String {
        switch self {
        case .invalid(let reason): reason
        }
    }
}
