#if canImport(Glibc)
import Glibc
#endif

/// The wall clock of the process (CLOCK_REALTIME): for timestamps that leave it (logs, the
/// journal, `serverTime` comparisons). Intervals and deadlines use `DispatchTime` instead,
/// which never jumps.
public enum WallClock {
    /// Milliseconds since the Unix epoch.
    public static var milliseconds: Int64 {
        let (seconds, nanoseconds) = now
        return seconds * 1000 + nanoseconds / 1_000_000
    }

    /// Seconds and nanoseconds since the Unix epoch.
    public static var now: (seconds: Int64, nanoseconds: Int64) {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return (Int64(time.tv_sec), Int64(time.tv_nsec))
    }
}
