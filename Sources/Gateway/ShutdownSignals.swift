import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a graceful shutdown; a second signal exits at once.
///
/// Signals are received through Dispatch sources rather than a C handler, so the
/// shutdown work runs as ordinary code on a queue. All state is confined to `queue`, hence
/// `@unchecked Sendable`; `install` and the handlers check it.
public final class ShutdownSignals: @unchecked Sendable {
    private let queue = DispatchQueue(label: "futures-gateway.signals")
    private var sources: [any DispatchSourceSignal] = []
    private var received = false

    public init() {}

    /// Installs the handlers; `onFirst` receives the signal's name.
    public func install(onFirst: @escaping @Sendable (String) -> Void) {
        // `queue.sync` below would deadlock if called from the queue itself.
        dispatchPrecondition(condition: .notOnQueue(queue))
        signal(SIGPIPE, SIG_IGN)
        queue.sync {
            dispatchPrecondition(condition: .onQueue(queue))
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [unowned self] in
                    dispatchPrecondition(condition: .onQueue(queue))
                    if received { exit(1) }
                    received = true
                    onFirst(name)
                }
                source.activate()
                sources.append(source)
            }
        }
    }
}
