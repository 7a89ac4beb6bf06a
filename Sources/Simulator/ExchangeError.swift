/// An error as the exchange reports it: an HTTP-like status and Binance's code and message.
struct ExchangeError: Error, Sendable, Hashable {
    let status: Int
    let code: Int
    let message: String

    static func mandatoryParameter(_ name: String) -> ExchangeError {
        ExchangeError(
            status: 400, code: -1102,
            message: "Mandatory parameter '\(name)' was not sent, was empty/null, or malformed.")
    }

    static func invalidParameter(_ name: String) -> ExchangeError {
        ExchangeError(status: 400, code: -1130, message: "Data sent for parameter '\(name)' is not valid.")
    }

    static let invalidSymbol = ExchangeError(status: 400, code: -1121, message: "Invalid symbol.")

    static let listenKeyMissing = ExchangeError(status: 400, code: -1125, message: "This listenKey does not exist.")

    /// Assumption: the futures docs do not show the answer to an unknown method; the code is
    /// Binance's generic -1000 with a message that names the method.
    static func unknownMethod(_ name: String) -> ExchangeError {
        ExchangeError(status: 400, code: -1000, message: "Unknown method '\(name)'.")
    }

    static let malformedRequest = ExchangeError(
        status: 400, code: -1000,
        message: "Invalid request: expected a JSON object with 'id' and 'method'.")

    static func tooManyRequests(limit: Int) -> ExchangeError {
        ExchangeError(
            status: 429, code: -1003,
            message: "Too many requests; current limit is \(limit) requests per minute. "
                + "Please use the websocket for live updates to avoid polling the API.")
    }

    static func banned(untilMillis: Int64) -> ExchangeError {
        ExchangeError(
            status: 418, code: -1003,
            message: "Way too many requests; IP banned until \(untilMillis). "
                + "Please use the websocket for live updates to avoid bans.")
    }

    // Authentication (Sources/Simulator/Auth). Codes and messages from the USDⓈ-M error-code page.

    static let invalidSignature = ExchangeError(
        status: 400, code: -1022, message: "Signature for this request is not valid.")

    /// -2015 answers with HTTP-like status 401 (ws-fapi general info, API-key revocation example).
    static let invalidAPIKey = ExchangeError(
        status: 401, code: -2015, message: "Invalid API-key, IP, or permissions for action.")

    static let timestampOutsideRecvWindow = ExchangeError(
        status: 400, code: -1021,
        message: "Timestamp for this request is outside of the recvWindow.")

    static let timestampAhead = ExchangeError(
        status: 400, code: -1021,
        message: "Timestamp for this request was 1000ms ahead of the server's time.")

    /// Assumption: -1131 BAD_RECV_WINDOW with this message (REST behaviour, not observed on ws-fapi).
    static let recvWindowTooLarge = ExchangeError(
        status: 400, code: -1131, message: "recvWindow must be less than 60000")

    /// Assumption: Binance's -1101 message for a repeated parameter; a JSON key sent twice is treated so.
    static let duplicateParameter = ExchangeError(
        status: 400, code: -1101, message: "Duplicate values for a parameter detected.")

    var json: String { #"{"code":\#(code),"msg":\#(JSONLiteral.string(message))}"# }
}

/// JSON text the simulator writes itself.
enum JSONLiteral {
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += unicodeEscape(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
