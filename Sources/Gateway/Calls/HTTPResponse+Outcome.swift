import HTTP1
import RawJSON

extension HTTPResponse {
    /// Says `outcome` on an answer to a state-changing call: the `X-Gateway-Outcome` header,
    /// and for an error whose body is a JSON object, an `"outcome"` member (unless it has one).
    mutating func stamp(outcome: CallEffect) {
        headers.set("X-Gateway-Outcome", outcome.word)
        guard status.code >= 400 else { return }
        var scanner = RawJSONScanner(body)
        guard let members = try? scanner.document(), !members.contains(where: { $0.key == "outcome" }),
            let close = body.lastIndex(of: UInt8(ascii: "}"))
        else { return }
        let member = (members.isEmpty ? "" : ",") + #""outcome":"\#(outcome.word)""#
        var stamped = Array(body[..<close])
        stamped.append(contentsOf: member.utf8)
        stamped.append(contentsOf: body[close...])
        body = stamped[...]
    }
}
