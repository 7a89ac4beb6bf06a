/// The stream hub's bookkeeping as a pure state machine: which streams local subscribers want
/// (reference-counted), which upstream connection carries each, what was sent upstream, and
/// what to do next. Inputs are events with the time (monotonic nanoseconds); outputs are
/// `StreamHubAction`s. No sockets, no clock: `StreamHub` executes the actions on its queue.
///
/// A *slot* is one logical upstream connection of a route, with up to `maxStreamsPerConnection`
/// streams; its *active* link delivers frames. Rotation opens a *standby* link for the slot,
/// subscribes it, and swaps it in once every stream is acknowledged (make-before-break). A lost
/// active link means a gap for the slot's streams and a reconnect with backoff.
public struct StreamHubState: Sendable {
    struct Link: Sendable {
        let id: StreamLinkID
        var isOpen = false
        var openedAt: UInt64 = 0
        var lastFrameAt: UInt64 = 0
        var hasReceivedData = false
        /// Streams the upstream was told to subscribe to (and not told to leave).
        var subscribed: Set<String> = []
        /// Streams whose SUBSCRIBE the upstream acknowledged.
        var acknowledged: Set<String> = []
        /// SUBSCRIBE message ids not yet answered, with their streams.
        var awaiting: [UInt64: [String]] = [:]
        /// When recent control messages went out, for pacing.
        var sentAt: [UInt64] = []
    }

    struct Slot: Sendable {
        let route: StreamRoute
        var wanted: Set<String> = []
        var active: Link?
        var standby: Link?
        /// No active link: when to connect again, and how many tries failed so far.
        var retryAt: UInt64?
        var failures = 0
        var emptySince: UInt64?
        var nextRotationTry: UInt64?
    }

    public let settings: StreamHubSettings
    private var slots: [Int: Slot] = [:]
    private var nextSlot = 0
    private var nextLink: StreamLinkID = 1
    private var nextMessageId: UInt64 = 1
    private var references: [String: Int] = [:]
    private var slotOfStream: [String: Int] = [:]
    private var slotOfLink: [StreamLinkID: Int] = [:]

    /// Counters for `/metrics`.
    public private(set) var reconnects = 0
    public private(set) var rotations = 0
    public private(set) var gaps = 0
    public private(set) var controlMessagesSent = 0

    public init(settings: StreamHubSettings = StreamHubSettings()) {
        self.settings = settings
    }

    // MARK: Reading

    /// Local subscribers of a stream.
    public func subscriberCount(_ stream: String) -> Int { references[stream] ?? 0 }

    /// Streams at least one local subscriber wants.
    public var streams: Set<String> { Set(references.keys) }

    /// Open upstream links (active and standby).
    public var openLinkCount: Int {
        slots.values.reduce(0) { $0 + ($1.active?.isOpen == true ? 1 : 0) + ($1.standby?.isOpen == true ? 1 : 0) }
    }

    /// Whether frames from `link` reach subscribers: only a slot's active link delivers.
    public func delivers(_ link: StreamLinkID) -> Bool {
        guard let slot = slotOfLink[link].flatMap({ slots[$0] }) else { return false }
        return slot.active?.id == link && slot.active?.isOpen == true
    }

    /// Streams per route, as the upstream was told: for tests and the status view.
    public func upstreamStreams(_ route: StreamRoute) -> [Set<String>] {
        slots.keys.sorted().compactMap { slots[$0] }.filter { $0.route == route }.compactMap { $0.active?.subscribed }
    }

    // MARK: Local subscribers

    /// One more local subscriber of `stream`; the first one subscribes upstream.
    public mutating func subscribe(_ stream: String, now: UInt64) -> [StreamHubAction] {
        references[stream, default: 0] += 1
        guard references[stream] == 1 else { return [] }
        let route = StreamRoute(stream: stream)
        let slotId =
            slots.keys.sorted().first { id in
                slots[id]!.route == route && slots[id]!.wanted.count < settings.maxStreamsPerConnection
            } ?? makeSlot(route)
        slots[slotId]!.wanted.insert(stream)
        slots[slotId]!.emptySince = nil
        slotOfStream[stream] = slotId
        return service(slotId, now: now)
    }

    /// One local subscriber of `stream` fewer; the last one unsubscribes upstream.
    public mutating func unsubscribe(_ stream: String, now: UInt64) -> [StreamHubAction] {
        guard let count = references[stream] else { return [] }
        guard count == 1 else {
            references[stream] = count - 1
            return []
        }
        references[stream] = nil
        guard let slotId = slotOfStream.removeValue(forKey: stream) else { return [] }
        slots[slotId]!.wanted.remove(stream)
        if slots[slotId]!.wanted.isEmpty { slots[slotId]!.emptySince = now }
        return service(slotId, now: now)
    }

    // MARK: Link events

    /// A link's handshake completed.
    public mutating func linkOpened(_ link: StreamLinkID, now: UInt64) -> [StreamHubAction] {
        guard let slotId = slotOfLink[link] else { return [.close(link)] }
        update(link, in: slotId) { link in
            link.isOpen = true
            link.openedAt = now
            link.lastFrameAt = now
        }
        return service(slotId, now: now)
    }

    /// A link failed to open or ended. Known links only; a closed standby is retried later.
    public mutating func linkClosed(_ link: StreamLinkID, now: UInt64, reason: String) -> [StreamHubAction] {
        guard let slotId = slotOfLink.removeValue(forKey: link), var slot = slots[slotId] else { return [] }
        if slot.standby?.id == link {
            slot.standby = nil
            slot.nextRotationTry = now + settings.initialBackoff.nanoseconds * 4
            slots[slotId] = slot
            return []
        }
        guard let active = slot.active, active.id == link else { return [] }
        slot.active = nil
        var actions: [StreamHubAction] = []
        if active.isOpen {
            reconnects += 1
            if !slot.wanted.isEmpty {
                gaps += 1
                actions.append(.gap(slot.wanted.sorted(), reason: reason))
            }
        }
        // A link that carried data is retried at once; repeated failures wait longer each time.
        slot.failures = active.hasReceivedData ? 0 : slot.failures + 1
        slot.retryAt = now + backoff(failures: slot.failures)
        if let standby = slot.standby, standby.isOpen {  // the standby takes over at once
            slot.active = standby
            slot.standby = nil
            slot.retryAt = nil
        }
        slots[slotId] = slot
        return actions + service(slotId, now: now)
    }

    /// Any frame from a link (data or a control answer): proof of life.
    public mutating func frameReceived(_ link: StreamLinkID, isData: Bool, now: UInt64) {
        guard let slotId = slotOfLink[link] else { return }
        update(link, in: slotId) { link in
            link.lastFrameAt = now
            if isData { link.hasReceivedData = true }
        }
        if isData, slots[slotId]?.active?.id == link { slots[slotId]!.failures = 0 }
    }

    /// The upstream answered the control message `id` with a result (not an error).
    public mutating func replyReceived(_ link: StreamLinkID, id: UInt64, now: UInt64) -> [StreamHubAction] {
        guard let slotId = slotOfLink[link] else { return [] }
        update(link, in: slotId) { link in
            link.lastFrameAt = now
            if let streams = link.awaiting.removeValue(forKey: id) {
                link.acknowledged.formUnion(streams.filter(link.subscribed.contains))
            }
        }
        return service(slotId, now: now)
    }

    /// Time passes: pacing, retries, silence, rotation, idle links.
    public mutating func tick(now: UInt64) -> [StreamHubAction] {
        var actions: [StreamHubAction] = []
        for slotId in slots.keys.sorted() {
            guard let slot = slots[slotId] else { continue }
            if let active = slot.active, active.isOpen, !slot.wanted.isEmpty,
                now >= active.lastFrameAt + settings.silentAfter.nanoseconds
            {
                actions.append(.close(active.id))
                actions += linkClosed(active.id, now: now, reason: "upstream silent; reconnected")
                continue
            }
            actions += service(slotId, now: now)
        }
        return actions
    }

    // MARK: Internals

    private mutating func makeSlot(_ route: StreamRoute) -> Int {
        let id = nextSlot
        nextSlot += 1
        slots[id] = Slot(route: route)
        return id
    }

    private mutating func newLink(for slotId: Int) -> Link {
        let link = Link(id: nextLink)
        nextLink += 1
        slotOfLink[link.id] = slotId
        return link
    }

    private mutating func update(_ id: StreamLinkID, in slotId: Int, _ body: (inout Link) -> Void) {
        if slots[slotId]?.active?.id == id {
            body(&slots[slotId]!.active!)
        } else if slots[slotId]?.standby?.id == id {
            body(&slots[slotId]!.standby!)
        }
    }

    private func backoff(failures: Int) -> UInt64 {
        guard failures > 0 else { return 0 }
        let base = settings.initialBackoff.nanoseconds << UInt64(min(failures - 1, 20))
        return min(base, settings.maxBackoff.nanoseconds)
    }

    /// Brings one slot toward what is wanted: connects, subscribes, unsubscribes, rotates, closes.
    private mutating func service(_ slotId: Int, now: UInt64) -> [StreamHubAction] {
        guard var slot = slots[slotId] else { return [] }
        var actions: [StreamHubAction] = []
        if let since = slot.emptySince, slot.wanted.isEmpty, now >= since + settings.idleClose.nanoseconds {
            for link in [slot.active, slot.standby].compactMap({ $0 }) {
                slotOfLink[link.id] = nil
                actions.append(.close(link.id))
            }
            slots[slotId] = nil
            return actions
        }
        if slot.active == nil, !slot.wanted.isEmpty, now >= slot.retryAt ?? 0 {
            let link = newLink(for: slotId)
            slot.active = link
            slot.retryAt = nil
            actions.append(.connect(link.id, slot.route))
        }
        if var active = slot.active, active.isOpen {
            actions += reconcile(&active, wanted: slot.wanted, now: now)
            slot.active = active
            if slot.standby == nil, !slot.wanted.isEmpty, now >= active.openedAt + settings.rotateAfter.nanoseconds,
                now >= slot.nextRotationTry ?? 0
            {
                let link = newLink(for: slotId)
                slot.standby = link
                actions.append(.connect(link.id, slot.route))
            }
        }
        if var standby = slot.standby, standby.isOpen {
            actions += reconcile(&standby, wanted: slot.wanted, now: now)
            slot.standby = standby
            if standby.acknowledged.isSuperset(of: slot.wanted), let old = slot.active {
                slotOfLink[old.id] = nil
                actions.append(.close(old.id))
                slot.active = standby
                slot.standby = nil
                rotations += 1
            }
        }
        slots[slotId] = slot
        return actions
    }

    /// Sends what the link lacks: UNSUBSCRIBE for streams no longer wanted, SUBSCRIBE for new
    /// ones, each within the pacing window.
    private mutating func reconcile(_ link: inout Link, wanted: Set<String>, now: UInt64) -> [StreamHubAction] {
        var actions: [StreamHubAction] = []
        let leaving = link.subscribed.subtracting(wanted).sorted()
        let joining = wanted.subtracting(link.subscribed).sorted()
        for (method, streams) in [("UNSUBSCRIBE", leaving), ("SUBSCRIBE", joining)] where !streams.isEmpty {
            for chunk in stride(from: 0, to: streams.count, by: settings.maxStreamsPerMessage) {
                link.sentAt.removeAll { now >= $0 + 1_000_000_000 }
                guard link.sentAt.count < settings.controlMessagesPerSecond else { return actions }
                let part = Array(streams[chunk..<min(chunk + settings.maxStreamsPerMessage, streams.count)])
                let id = nextMessageId
                nextMessageId += 1
                link.sentAt.append(now)
                controlMessagesSent += 1
                if method == "SUBSCRIBE" {
                    link.subscribed.formUnion(part)
                    link.awaiting[id] = part
                } else {
                    link.subscribed.subtract(part)
                    link.acknowledged.subtract(part)
                }
                actions.append(.send(link.id, StreamControlFrame.request(method: method, streams: part, id: id)))
            }
        }
        return actions
    }
}
