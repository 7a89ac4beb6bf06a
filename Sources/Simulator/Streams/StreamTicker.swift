import Dispatch
import EventLoops

/// The simulator's clockwork for streams: every `tick` it expires listen keys and pushes the
/// timed streams (`@markPrice@1s` each second, `@markPrice` and `!markPrice@arr` every 3 s,
/// `@kline_<i>` each second); on its own schedule it steps every market (the market-activity
/// source, seeded like every other step) so streams carry traffic without orders.
///
/// It owns its timers, confined to its serial `queue` (hence `@unchecked Sendable`): the methods
/// below hop onto it with `queue.sync`, which cannot deadlock because nothing running on the
/// queue (the timer handlers) calls them; the activity interval can be changed while it runs
/// (`GET`/`POST /admin/market`).
final class StreamTicker: @unchecked Sendable {
    static let tick = Duration.milliseconds(250)

    private let queue = DispatchQueue(label: "futures-gateway.simulator.streams")
    private let exchange: SimulatedExchange
    private var tickTimer: DispatchSourceTimer?
    private var activityTimer: DispatchSourceTimer?
    private var interval: Duration?
    private var ticks = 0

    init(exchange: SimulatedExchange) {
        self.exchange = exchange
    }

    func start(marketStepInterval: Duration?) {
        queue.sync {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            let every = DispatchTimeInterval.milliseconds(Int(Self.tick.milliseconds))
            timer.schedule(deadline: .now() + every, repeating: every, leeway: .milliseconds(10))
            timer.setEventHandler { [self] in fire() }
            timer.activate()
            tickTimer = timer
            schedule(marketStepInterval)
        }
    }

    /// The market-activity interval now in force (`nil`: off).
    var marketStepInterval: Duration? { queue.sync { interval } }

    /// Steps every market each `interval` from now on; `nil` or zero turns the activity off.
    func setMarketStepInterval(_ interval: Duration?) { queue.sync { schedule(interval) } }

    func stop() {
        queue.sync {
            tickTimer?.cancel()
            activityTimer?.cancel()
            (tickTimer, activityTimer) = (nil, nil)
        }
    }

    private func schedule(_ wanted: Duration?) {
        dispatchPrecondition(condition: .onQueue(queue))
        activityTimer?.cancel()
        activityTimer = nil
        interval = wanted.flatMap { $0 > .zero ? $0 : nil }
        guard let interval else { return }
        let exchange = exchange
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let every = DispatchTimeInterval.microseconds(max(1000, Int(interval.milliseconds * 1000)))
        timer.schedule(deadline: .now() + every, repeating: every)
        timer.setEventHandler { exchange.stepMarkets() }
        timer.activate()
        activityTimer = timer
    }

    private func fire() {
        dispatchPrecondition(condition: .onQueue(queue))
        ticks += 1
        exchange.expireListenKeys()
        guard exchange.marketStreams.hasSubscribers else { return }
        let perSecond = Int(1000 / Self.tick.milliseconds)
        if ticks % perSecond == 0 {
            exchange.publishTimedStreams(fast: true, klines: true)
        }
        if ticks % (3 * perSecond) == 0 {
            exchange.publishTimedStreams(fast: false, klines: false)
        }
    }
}
