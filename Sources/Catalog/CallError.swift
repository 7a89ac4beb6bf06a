/// Why a call was refused before anything went upstream. Codes are Binance's, so a client
/// handles a gateway refusal and an exchange refusal of the same mistake alike.
public enum CallError: Error, Sendable, Hashable {
    case unknownCall(String)
    case malformedBody(String)
    case missing(String)
    case missingOneOf([String])
    case unknownParameter(String)
    case reservedParameter(String)
    case duplicate(String)
    case invalid(name: String, expected: String)

    /// HTTP status: 404 for an unknown call, 400 for everything else.
    public var httpStatus: Int {
        if case .unknownCall = self { return 404 }
        return 400
    }

    public var code: Int {
        switch self {
        case .unknownCall: 404
        case .malformedBody, .invalid: -1100
        case .missing, .missingOneOf: -1102
        case .unknownParameter, .reservedParameter: -1104
        case .duplicate: -1101
        }
    }

    public var message: String {
        switch self {
        case .unknownCall(let name): "unknown call '\(name)'; GET /v1/calls lists them"
        case .malformedBody(let why): "the request body must be a JSON object of parameters: \(why)"
        case .missing(let name): "Mandatory parameter '\(name)' was not sent, was empty/null, or malformed."
        case .missingOneOf(let names):
            "Mandatory parameter missing: send one of " + names.map { "'\($0)'" }.joined(separator: " or ") + "."
        case .unknownParameter(let name): "Unknown parameter '\(name)' for this call."
        case .reservedParameter(let name): "Parameter '\(name)' is set by the gateway; do not send it."
        case .duplicate(let name): "Duplicate values for parameter '\(name)'."
        case .invalid(let name, let expected): "Illegal value for parameter '\(name)'; expected \(expected)."
        }
    }
}
