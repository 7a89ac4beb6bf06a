import Dispatch

/// The deadline check of a `RequestWindow` owner: one Dispatch timer on the owner's serial
/// queue that runs `sweep` once, `interval` after it was armed. The owner arms it while its
/// window holds requests; the window's `expire(at:connectless:)` does the deciding.
///
/// Used on `queue` only (arming is checked); not `Sendable`.
public final class DeadlineSweep {
    /// How late a deadline may be noticed, at most (plus the timer's 10 ms leeway).
    public static let interval: DispatchTimeInterval = .milliseconds(50)

    private let queue: DispatchQueue
    private let sweep: () -> Void
    /// Made at the first `arm`: an owner that never waits for a deadline has no timer.
    private var timer: DispatchSourceTimer?
    private var isArmed = false

    /// `sweep` runs on `queue`; it may arm the timer again.
    public init(queue: DispatchQueue, sweep: @escaping () -> Void) {
        self.queue = queue
        self.sweep = sweep
    }

    /// Runs the sweep after `interval` unless it is already due.
    public func arm() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !isArmed else { return }
        isArmed = true
        if timer == nil {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { [weak self] in
                guard let self else { return }
                isArmed = false
                sweep()
            }
            timer.activate()
            self.timer = timer
        }
        timer?.schedule(deadline: .now() + Self.interval, repeating: .never, leeway: .milliseconds(10))
    }

    /// Stops the timer for good (the owner shut down).
    public func cancel() {
        dispatchPrecondition(condition: .onQueue(queue))
        timer?.cancel()
        timer = nil
    }

    deinit { timer?.cancel() }
}
