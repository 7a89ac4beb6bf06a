#if canImport(Glibc)
import Glibc
#endif

/// Polls `condition` every 5 ms until it holds or `timeout` passes; returns its last value.
///
/// It sleeps the thread, not the task: blocking socket tests elsewhere in a suite can occupy
/// the cooperative pool, and a task that yields may then not run again for seconds.
public func eventually(_ timeout: Duration = .seconds(10), _ condition: () throws -> Bool) rethrows -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while clock.now < end {
        if try condition() { return true }
        usleep(5_000)
    }
    return try condition()
}
