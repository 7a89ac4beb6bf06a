import Catalog
import HTTP1
import HTTPServer

/// The answer of a layer in front of the calls (browser guard, bearer token) that refuses a
/// request to a state-changing call: nothing was sent, so it says `X-Gateway-Outcome: not-sent`
/// like every other answer to such a call, and the client knows the order was not placed.
enum RefusalOutcome {
    /// `/v1/<name>` of every call that changes state.
    static let stateChangingPaths: Set<String> = Set(
        CallCatalog.all.filter(\.changesState).map { "/v1/" + $0.name })

    /// `refusal` as a response, stamped `not-sent` when `request` is a state-changing call.
    static func response(_ refusal: some APIError, to request: HTTPRequest) -> HTTPResponse {
        var response = HTTPResponse.error(refusal)
        if stateChangingPaths.contains(String(request.path)) { response.stamp(outcome: .notSent) }
        return response
    }
}
