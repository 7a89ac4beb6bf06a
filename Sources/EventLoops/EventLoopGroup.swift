#if canImport(Glibc)
import Glibc
#endif

/// The event loops of the process, one per core: every socket, server and client side, is
/// registered with exactly one of them.
///
/// Loop 0 also carries the shared upstream connection, so that at one client connection the
/// whole proxied call runs on one thread (see `leastLoaded`).
public final class EventLoopGroup: Sendable {
    /// Created on first use; its loops live as long as the process.
    public static let shared = EventLoopGroup(count: max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    public let loops: [EventLoop]

    init(count: Int) {
        loops = (0..<count).map { EventLoop(label: "futures-gateway.loop-\($0)") }
    }

    /// The loop of the shared upstream connections (WebSocket and REST).
    public var upstreamLoop: EventLoop { loops[0] }

    /// The loop of the market and user stream connections: the last one, so that with two or
    /// more cores stream fan-out never shares a thread with the proxied calls' upstream.
    public var streamLoop: EventLoop { loops[loops.count - 1] }

    /// The index of the loop with the fewest of `counts` (one count per loop), the first on a
    /// tie: a lone connection lands on the upstream's loop.
    public static func leastLoaded(_ counts: [Int]) -> Int {
        var best = 0
        for index in counts.indices where counts[index] < counts[best] { best = index }
        return best
    }
}
