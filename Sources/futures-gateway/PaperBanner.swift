import Simulator

#if canImport(Glibc)
import Glibc
#endif

/// What `simulator --paper` prints on standard output once it listens: where to point a client,
/// and the paper exchange's test key (a key for this local simulator only). It goes to standard
/// output, not to the log on standard error.
enum PaperBanner {
    static func write(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, bytes.count - offset) }
            if written > 0 { offset += written } else if errno != EINTR { return }
        }
    }

    static func text(address: String, key: PaperStateStore.TestKey, stateDir: String) -> String {
        """
        paper exchange on \(address) (state in \(stateDir)/)
          REST API:       http://\(address)/fapi   (python-binance: FUTURES_URL; ccxt: urls api fapiPublic/fapiPrivate…)
          WebSocket API:  ws://\(address)\(SimulatorServer.webSocketPath)
          test API key:   \(key.apiKey)
          test secret:    \(key.secret)
          gateway:        BINANCE_API_KEY=… BINANCE_API_SECRET=… futures-gateway serve \
        --upstream ws://\(address)\(SimulatorServer.webSocketPath) --rest-upstream http://\(address)
        """
    }
}
