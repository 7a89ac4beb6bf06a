import EventLoops
import HTTPServer
import RawJSON

/// Misbehaviours the simulator can be told to show, so the gateway's fault handling can be
/// tested against a real exchange-shaped peer. All are off by default.
///
/// The same settings come from the `simulator --fault-…` flags and from the JSON body of
/// `POST /admin/faults` (see `init(json:)`).
public struct SimulatorFaults: Sendable, Hashable {
    /// A Binance error answer: HTTP-like status in the envelope, and the `{"code","msg"}` error.
    public struct ErrorAnswer: Sendable, Hashable {
        public var status: Int
        public var code: Int
        public var msg: String
        /// The exchange executes the request first, then answers with the error (Binance's
        /// "execution status unknown" when the status is 5xx).
        public var executes: Bool

        public init(status: Int, code: Int, msg: String, executes: Bool = false) {
            self.status = status
            self.code = code
            self.msg = msg
            self.executes = executes
        }
    }

    /// An HTML error page from the exchange's edge (CDN, WAF) instead of a REST answer.
    public struct PageAnswer: Sendable, Hashable {
        public var status: Int
        /// The request reaches the exchange and is executed before the page is sent.
        public var executes: Bool

        public init(status: Int, executes: Bool = false) {
            self.status = status
            self.executes = executes
        }

        /// The page: `<html><body><h1>STATUS Error</h1></body></html>`, as text/html.
        public var body: String { "<html><body><h1>\(status) Error</h1></body></html>" }
    }

    /// Answer this many requests on a connection, then close its socket on the next one
    /// (no close frame, that request unanswered and not executed).
    public var dropAfter: Int?
    /// Answer this many requests on a connection; the next one is executed by the exchange (an
    /// order really placed), then the socket closes with no answer. `dropAfter`, when it is
    /// smaller or equal, wins.
    public var dropAfterExecuting: Int?
    /// Send each answer this long after the request.
    public var delay: Duration?
    /// Hold answers and release each batch of this many in reverse order.
    public var reorder: Int?
    /// Answer these methods with the given error instead of asking the exchange.
    public var errorFor: [String: ErrorAnswer]
    /// Answer these REST paths with an HTML error page instead of the exchange's JSON.
    public var pageFor: [String: PageAnswer]
    /// Answer nothing: no requests, no pings, no pings of our own. The connection stays open.
    public var silent: Bool
    /// Refuse WebSocket handshakes with 503.
    public var refuseHandshakes: Bool
    /// Shift the exchange's clock by this much (may be negative), for everything it timestamps
    /// or checks: `timestamp`/`recvWindow` (-1021), `serverTime`, order times. Whole milliseconds.
    public var clockOffset: Duration?
    /// Close every market-stream connection (no close frame) when these settings take effect.
    public var dropStreams: Bool
    /// Leave out the next N depth diff events (any symbol): a gap in the `pu` chain.
    public var skipDepthEvents: Int?
    /// Expire every live listen key when these settings take effect (`listenKeyExpired` pushed).
    public var expireListenKeys: Bool

    public init(
        dropAfter: Int? = nil, dropAfterExecuting: Int? = nil, delay: Duration? = nil, reorder: Int? = nil,
        errorFor: [String: ErrorAnswer] = [:], pageFor: [String: PageAnswer] = [:], silent: Bool = false,
        refuseHandshakes: Bool = false, clockOffset: Duration? = nil, dropStreams: Bool = false,
        skipDepthEvents: Int? = nil, expireListenKeys: Bool = false
    ) {
        self.dropStreams = dropStreams
        self.skipDepthEvents = skipDepthEvents
        self.expireListenKeys = expireListenKeys
        self.dropAfter = dropAfter
        self.dropAfterExecuting = dropAfterExecuting
        self.clockOffset = clockOffset
        self.delay = delay
        self.reorder = reorder
        self.errorFor = errorFor
        self.pageFor = pageFor
        self.silent = silent
        self.refuseHandshakes = refuseHandshakes
    }

    /// True when no fault is set.
    public var isNone: Bool { self == SimulatorFaults() }

    /// Checks the ranges: counts at least 0 (`dropAfter`, `dropAfterExecuting`) or 1 (`reorder`),
    /// delay not negative, error statuses 100…599.
    public func validate() throws(SimulatorFaultsError) {
        if let dropAfter, dropAfter < 0 { throw .invalid("dropAfter must be 0 or more") }
        if let dropAfterExecuting, dropAfterExecuting < 0 { throw .invalid("dropAfterExecuting must be 0 or more") }
        if let reorder, reorder < 1 { throw .invalid("reorder must be 1 or more") }
        if let skipDepthEvents, skipDepthEvents < 0 { throw .invalid("skipDepthEvents must be 0 or more") }
        if let delay, delay < .zero { throw .invalid("delayMs must be 0 or more") }
        for (method, answer) in errorFor where !(100...599).contains(answer.status) {
            throw .invalid("errorFor \(method): status must be 100…599")
        }
        for (path, page) in pageFor where !(100...599).contains(page.status) {
            throw .invalid("pageFor \(path): status must be 100…599")
        }
    }

    // MARK: Text forms

    /// Parses `METHOD=STATUS:CODE:MSG` (the `--fault-error` flag), e.g. `depth=400:-1121:Invalid symbol.`.
    /// The message may contain `:`.
    public static func parseError(_ text: String) throws(SimulatorFaultsError) -> (method: String, answer: ErrorAnswer)
    {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw .invalid("expected METHOD=STATUS:CODE:MSG, got \(text)")
        }
        let parts = text[text.index(after: equals)...].split(
            separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let status = Int(parts[0]), let code = Int(parts[1]) else {
            throw .invalid("expected METHOD=STATUS:CODE:MSG, got \(text)")
        }
        return (String(text[..<equals]), ErrorAnswer(status: status, code: code, msg: String(parts[2])))
    }

    /// Reads the admin body: `{"dropAfter":3,"dropAfterExecuting":null,"delayMs":200,"reorder":4,"silent":false,
    /// "refuseHandshakes":false,"clockOffsetMs":-30000,"errorFor":{"depth":{"status":400,"code":-1121,"msg":"…"}},
    /// "pageFor":{"/fapi/v1/leverage":{"status":502,"executes":true}},"dropStreams":false,"skipDepthEvents":2,
    /// "expireListenKeys":false}` (`executes` is optional, false by default).
    /// Absent keys (or `null`) are off; unknown keys are refused.
    public init(json: [UInt8]) throws(SimulatorFaultsError) {
        guard let object = try? JSONObject(parsing: json) else { throw .invalid("the body must be a JSON object") }
        let known: Set = [
            "dropAfter", "dropAfterExecuting", "delayMs", "reorder", "errorFor", "pageFor", "silent",
            "refuseHandshakes", "clockOffsetMs", "dropStreams", "skipDepthEvents", "expireListenKeys",
        ]
        if let unknown = object.members.first(where: { !known.contains($0.key) }) {
            throw .invalid("unknown key \(unknown.key)")
        }
        self.init()
        dropAfter = try Self.integer(object, "dropAfter")
        dropAfterExecuting = try Self.integer(object, "dropAfterExecuting")
        clockOffset = try Self.integer(object, "clockOffsetMs").map { .milliseconds($0) }
        delay = try Self.integer(object, "delayMs").map { .milliseconds($0) }
        reorder = try Self.integer(object, "reorder")
        silent = try Self.flag(object, "silent")
        refuseHandshakes = try Self.flag(object, "refuseHandshakes")
        dropStreams = try Self.flag(object, "dropStreams")
        skipDepthEvents = try Self.integer(object, "skipDepthEvents")
        expireListenKeys = try Self.flag(object, "expireListenKeys")
        if let errors = object["errorFor"], !errors.isNull {
            guard let errors = errors.object else { throw .invalid("errorFor must be an object") }
            for member in errors.members {
                guard let value = member.value.object, let status = try Self.integer(value, "status"),
                    let code = try Self.integer(value, "code"), let msg = value["msg"]?.string
                else { throw .invalid("errorFor \(member.key) must be {\"status\",\"code\",\"msg\"}") }
                errorFor[member.key] = ErrorAnswer(
                    status: status, code: code, msg: msg, executes: try Self.flag(value, "executes"))
            }
        }
        if let pages = object["pageFor"], !pages.isNull {
            guard let pages = pages.object else { throw .invalid("pageFor must be an object") }
            for member in pages.members {
                guard let value = member.value.object, let status = try Self.integer(value, "status")
                else { throw .invalid("pageFor \(member.key) must be {\"status\",\"executes\"}") }
                pageFor[member.key] = PageAnswer(status: status, executes: try Self.flag(value, "executes"))
            }
        }
        try validate()
    }

    /// The settings in the admin body's shape, keys sorted, `null` for what is off.
    public var json: String {
        func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        let delayMs = delay.map { Int($0.milliseconds) }
        let offsetMs = clockOffset.map { Int($0.milliseconds) }
        let errors = errorFor.keys.sorted().map { method in
            let answer = errorFor[method]!
            return
                #"\#(JSONText.quoted(method)):{"status":\#(answer.status),"code":\#(answer.code),"msg":\#(JSONText.quoted(answer.msg)),"#
                + #""executes":\#(answer.executes)}"#
        }
        let pages = pageFor.keys.sorted().map { path in
            #"\#(JSONText.quoted(path)):{"status":\#(pageFor[path]!.status),"executes":\#(pageFor[path]!.executes)}"#
        }
        return
            #"{"clockOffsetMs":\#(number(offsetMs)),"delayMs":\#(number(delayMs)),"dropAfter":\#(number(dropAfter)),"#
            + #""dropAfterExecuting":\#(number(dropAfterExecuting)),"dropStreams":\#(dropStreams),"#
            + #""errorFor":{\#(errors.joined(separator: ","))},"expireListenKeys":\#(expireListenKeys),"#
            + #""pageFor":{\#(pages.joined(separator: ","))},"#
            + #""refuseHandshakes":\#(refuseHandshakes),"reorder":\#(number(reorder)),"silent":\#(silent),"#
            + #""skipDepthEvents":\#(number(skipDepthEvents))}"#
    }

    private static func integer(_ object: JSONObject, _ key: String) throws(SimulatorFaultsError) -> Int? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.integer.flatMap({ Int(exactly: $0) }) else {
            throw .invalid("\(key) must be an integer")
        }
        return number
    }

    private static func flag(_ object: JSONObject, _ key: String) throws(SimulatorFaultsError) -> Bool {
        guard let value = object[key], !value.isNull else { return false }
        guard let flag = value.bool else { throw .invalid("\(key) must be true or false") }
        return flag
    }
}

/// Why fault settings were refused (a flag or the admin body).
public enum SimulatorFaultsError: Error, Hashable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let reason): reason
        }
    }
}
