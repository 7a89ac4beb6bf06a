// swift-tools-version:6.0
import PackageDescription

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let package = Package(
    name: "futures-gateway",
    products: [
        .executable(name: "futures-gateway", targets: ["FuturesGatewayCLI"]),
        .executable(name: "futures-gateway-bench", targets: ["FuturesGatewayBench"]),
        // Development only: writes the generated parts of openapi.yaml (scripts/openapi). Not shipped.
        .executable(name: "futures-gateway-openapi", targets: ["FuturesGatewayOpenAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        // For the Swift client generated from openapi.yaml (committed; scripts/generate-swift-client).
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.0.0"),
    ],
    targets: [
        // Pure HTTP/1.1 codec: bytes in, requests out; responses in, bytes out. No sockets.
        .target(name: "HTTP1"),
        // A strict JSON reader that keeps every value's text: signatures and decimals need the digits as sent.
        .target(name: "RawJSON"),
        // The system OpenSSL (libssl-dev) and its one Swift wrapper: TLS, digests, signatures.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "OpenSSL", dependencies: ["COpenSSL"]),
        // Pure RFC 6455 codec: frames, messages, close payloads, the opening handshake. No sockets.
        .target(name: "WebSocket", dependencies: ["HTTP1", "OpenSSL"]),
        // accept4(2), which Glibc's Swift module does not export.
        .target(name: "CSocketShims"),
        // The event loops of the process: one socket type, one errno error, epoll threads with their
        // serial Dispatch queues, the Duration conversion and the wall clock.
        .target(name: "EventLoops", dependencies: ["CSocketShims"]),
        // The HTTP/1.1 server on the event loops: listener, connections, timeouts, routing, shutdown.
        .target(name: "HTTPServer", dependencies: ["HTTP1", "RawJSON", "EventLoops", logging]),
        // Client byte streams (TCP, TLS) on the event loops, for the upstream WebSocket and REST clients.
        .target(name: "Transport", dependencies: ["OpenSSL", "EventLoops"]),
        // The requests of one upstream client as a pure value: pending table, bounded queue, deadlines,
        // the retry rules, reconnect backoff. Below both upstream clients; no I/O.
        .target(
            name: "RequestWindow", dependencies: [.product(name: "DequeModule", package: "swift-collections")]),
        // One shared upstream connection, multiplexed by request id: lifecycle, deadlines, back-pressure.
        .target(
            name: "Upstream",
            dependencies: [
                "HTTP1", "OpenSSL", "EventLoops", "Transport", "WebSocket", "RequestWindow", logging,
            ]),
        // The system libnghttp2 (libnghttp2-dev) and its one Swift wrapper: h2c on our HTTP server.
        .systemLibrary(name: "CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .target(name: "HTTP2", dependencies: ["CNGHTTP2", "EventLoops", "HTTP1", "HTTPServer"]),
        // The REST calls the WebSocket API lacks: one multiplexed HTTP/2 connection (or HTTP/1.1).
        .target(
            name: "RESTClient",
            dependencies: [
                "CNGHTTP2", "EventLoops", "HTTP1", "OpenSSL", "Transport", "RequestWindow", logging,
            ]),
        // The system SQLite (libsqlite3-dev) and its one Swift wrapper.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        // The durable record of state-changing requests, in SQLite: outcomes, answers, what was in flight.
        .target(name: "Journal", dependencies: ["EventLoops", "SQLite"]),
        // The built-in exchange simulator: the embedded default upstream and the upstream of tests.
        .target(
            name: "Simulator",
            dependencies: [
                "OpenSSL", "RawJSON", "HTTP1", "EventLoops", "HTTPServer", "HTTP2", "WebSocket", "WebSocketServer",
                logging,
                .product(name: "DequeModule", package: "swift-collections"),
            ]),
        // The server side of RFC 6455 on our HTTP server: upgrade endpoint, pings, closing handshake.
        .target(name: "WebSocketServer", dependencies: ["EventLoops", "HTTPServer", "HTTP1", "WebSocket", logging]),
        // Pure upstream pacing: rate-limit windows, holds after 429/418, the server clock offset. No I/O.
        .target(name: "Pacing", dependencies: ["EventLoops", "RawJSON"]),
        // One set of upstream stream connections shared by every local subscriber, and the local
        // stream endpoints: WebSocket (the exchange's own paths and control messages) and SSE.
        .target(
            name: "Streams",
            dependencies: [
                "EventLoops", "HTTP1", "HTTPServer", "OpenSSL", "RawJSON", "Signing", "Transport", "Upstream",
                "WebSocket",
                "WebSocketServer", logging, .product(name: "DequeModule", package: "swift-collections"),
            ]),
        // The gateway's routes: the call catalog as /v1/{call}, limits, idempotency, reconciliation.
        // Its pages (Pages/*.html, .css, .js) and openapi.yaml are embedded at build time by EmbedFiles.
        .target(
            name: "Gateway",
            dependencies: [
                "EventLoops", "HTTPServer", "HTTP1", "Upstream", "RESTClient", "RequestWindow", "Pacing", "Catalog",
                "Signing", "RawJSON", "OpenSSL", "Journal", "OrderBook", "Streams",
                logging,
            ],
            plugins: ["EmbedFiles"]
        ),
        // A build-tool plugin: a target's text files become a Swift source in the build directory.
        .plugin(
            name: "EmbedFiles", capability: .buildTool(), dependencies: ["embed-files"],
            path: "Sources/EmbedFilesPlugin"),
        // The plugin's tool (runs on the build machine only): files in, `enum EmbeddedFiles` out.
        .executableTarget(
            name: "embed-files", dependencies: ["RawJSON", .product(name: "Yams", package: "Yams")],
            path: "Sources/EmbedFilesTool"
        ),
        // A local order book per symbol, kept by the exchange's snapshot + diff procedure. No I/O of its own:
        // the depth feed and the snapshot source are protocols the gateway implements.
        .target(name: "OrderBook", dependencies: ["EventLoops", "RawJSON", logging]),
        // The call catalog: every local call, its upstream target, parameters, security and weight.
        .target(name: "Catalog", dependencies: ["HTTP1", "RawJSON"]),
        // Credentials and request encoding: signatures, session logon params, WebSocket frames, REST queries.
        .target(name: "Signing", dependencies: ["Catalog", "OpenSSL", "RawJSON"]),
        // The `futures-gateway` command line.
        .executableTarget(
            name: "FuturesGatewayCLI",
            dependencies: [
                "Gateway", "HTTPServer", "OpenSSL", "Simulator", "Upstream", "Signing", "RESTClient", "Pacing",
                "Journal", "Streams", "OrderBook", "EventLoops", logging,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/futures-gateway"
        ),
        // The measuring clients of scripts/bench: a bare WebSocket client and a keep-alive HTTP/1.1 client.
        .executableTarget(
            name: "FuturesGatewayBench",
            dependencies: [
                "HTTP1", "WebSocket", "Journal", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/futures-gateway-bench"
        ),
        // The generated parts of openapi.yaml (the /v1/{call} operations and their schemas), written
        // from the call catalog. Development only: neither the gateway nor its binary depends on it.
        .target(name: "OpenAPIWriter", dependencies: ["Catalog", "RawJSON"]),
        .executableTarget(
            name: "FuturesGatewayOpenAPI", dependencies: ["OpenAPIWriter"],
            path: "Sources/futures-gateway-openapi"),
        // Helpers the test targets share: loopback client, child processes, repository root, HTTP/2 frames.
        .target(name: "TestSupport", dependencies: ["OrderBook", "WebSocket"], path: "Tests/TestSupport"),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"]),
        .testTarget(name: "OpenSSLTests", dependencies: ["TestSupport", "OpenSSL"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Signing", "OpenSSL"]),
        .testTarget(name: "WebSocketTests", dependencies: ["WebSocket", "HTTP1"]),
        .testTarget(name: "EventLoopsTests", dependencies: ["EventLoops"]),
        .testTarget(name: "TransportTests", dependencies: ["TestSupport", "EventLoops", "Transport", "OpenSSL"]),
        .testTarget(
            name: "UpstreamTests",
            dependencies: ["TestSupport", "Upstream", "RequestWindow", "Transport", "WebSocket", logging]),
        .testTarget(name: "RequestWindowTests", dependencies: ["RequestWindow"]),
        .testTarget(name: "PacingTests", dependencies: ["Pacing"]),
        .testTarget(
            name: "StreamsTests", dependencies: ["TestSupport", "Streams", "RawJSON", "HTTP1", "HTTPServer", logging]),
        .testTarget(name: "JournalTests", dependencies: ["Journal"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "OrderBookTests", dependencies: ["TestSupport", "OrderBook", logging]),
        .testTarget(name: "RawJSONTests", dependencies: ["RawJSON"]),
        .testTarget(name: "EmbedFilesToolTests", dependencies: ["embed-files"]),
        .testTarget(name: "SimulatorTests", dependencies: ["TestSupport", "Simulator", "OpenSSL", "WebSocket"]),
        // Against servers we did not write: the Python `websockets` package (Tests/Interop).
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "TestSupport", "EventLoops",
                "Upstream", "Gateway", "HTTPServer", "HTTP1", "OpenSSL", "Transport", "Simulator", "Signing",
                "RESTClient", "RequestWindow", "Streams",
                "Pacing", "Catalog", "OrderBook", logging,
            ]
        ),
        .testTarget(name: "HTTPServerTests", dependencies: ["TestSupport", "HTTPServer", "HTTP1", logging]),
        .testTarget(
            name: "RESTClientTests",
            dependencies: [
                "TestSupport", "RESTClient", "Simulator", "HTTPServer", "HTTP1", "OpenSSL", "Transport",
                "RequestWindow",
                logging,
            ],
            exclude: ["tls_alpn_proxy.py"]
        ),
        .testTarget(
            name: "HTTP2Tests", dependencies: ["TestSupport", "HTTP2", "HTTPServer", "HTTP1", "Simulator", logging]),
        .testTarget(
            name: "WebSocketServerTests",
            dependencies: [
                "TestSupport", "WebSocketServer", "HTTPServer", "HTTP1", "WebSocket", "Upstream", "RequestWindow",
                logging,
            ],
            exclude: ["ws_client.py"]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "TestSupport",
                "Gateway", "HTTPServer", "HTTP1", "Upstream", "RESTClient", "Pacing", "Catalog", "Simulator", "OpenSSL",
                "Journal", "OpenAPIWriter", "OrderBook", "Streams", .product(name: "Yams", package: "Yams"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ]
        ),
    ]
)
