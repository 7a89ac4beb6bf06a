import RawJSON

/// One market-stream connection's state, as a pure state machine: its streams in subscription
/// order, the `combined` property, and the incoming-message rate. The hub keeps one per
/// connection and feeds it every text message; it answers with what to send or to close.
///
/// Rules (reference §2): SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY /
/// GET_PROPERTY; at most `maxStreams` streams; more than `maxMessagesPerSecond` incoming messages
/// in one second closes the connection.
struct StreamSubscriptions: Sendable {
    static let maxStreams = 1024
    static let maxMessagesPerSecond = 10
    static let maxStreamNameLength = 200

    enum Action: Equatable, Sendable {
        case reply(String)
        case close(reason: String)
    }

    let route: StreamRoute
    private(set) var streams: [String] = []
    private(set) var isCombined: Bool
    /// Arrival times (ms) of the latest messages, oldest first; at most `maxMessagesPerSecond`.
    private var recent: [Int64] = []
    /// SUBSCRIBE messages accepted, for the admin view.
    private(set) var subscribeMessages = 0

    init(route: StreamRoute, streams: [String], combined: Bool) {
        self.route = route
        self.isCombined = combined
        for name in streams where !self.streams.contains(name) && self.streams.count < Self.maxStreams {
            self.streams.append(name)
        }
    }

    func contains(_ name: String) -> Bool { streams.contains(name) }

    /// Handles one incoming text message received at `now` (ms).
    mutating func receive(_ text: [UInt8], now: Int64) -> Action {
        if recent.count == Self.maxMessagesPerSecond, now - recent[0] < 1000 {
            return .close(reason: "too many messages")
        }
        recent.append(now)
        if recent.count > Self.maxMessagesPerSecond { recent.removeFirst() }
        let request: StreamControlRequest
        do {
            request = try StreamControlRequest(parsing: text)
        } catch {
            return .reply(error.reply())
        }
        return .reply(apply(request))
    }

    private mutating func apply(_ request: StreamControlRequest) -> String {
        let id = request.id
        switch request.method {
        case .subscribe(let names):
            let new = names.filter { !streams.contains($0) }
            guard streams.count + Set(new).count <= Self.maxStreams else {
                return StreamControlError.tooManyStreams.reply(id: id)
            }
            for name in new where !streams.contains(name) { streams.append(name) }
            subscribeMessages += 1
            return Self.result("null", id: id)
        case .unsubscribe(let names):
            streams.removeAll { names.contains($0) }
            return Self.result("null", id: id)
        case .listSubscriptions:
            return Self.result("[" + streams.map(JSONString.quoted).joined(separator: ",") + "]", id: id)
        case .setCombined(let value):
            isCombined = value
            return Self.result("null", id: id)
        case .getCombined:
            return Self.result(String(isCombined), id: id)
        }
    }

    static func result(_ json: String, id: String) -> String { #"{"result":\#(json),"id":\#(id)}"# }
}
