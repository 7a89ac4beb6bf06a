import HTTPServer

extension ServerConfiguration {
    /// This configuration with h2c on: a connection that opens with the HTTP/2 client preface
    /// (prior knowledge, as `curl --http2-prior-knowledge` sends) is served over HTTP/2 by the
    /// same handler; every other connection is HTTP/1.1 as before. An h2c connection without open
    /// streams for `idleTimeout` ends with GOAWAY, and so does each one at shutdown; one whose
    /// SETTINGS or a request take longer than `requestReadTimeout` ends with GOAWAY and an error.
    public func enablingH2C() -> ServerConfiguration {
        var configuration = self
        configuration.priorKnowledgeHTTP2 = { connection, handler, configuration in
            HTTP2Connection(
                connection: connection, handler: handler, limits: configuration.limits,
                idleTimeout: configuration.idleTimeout,
                requestReadTimeout: configuration.requestReadTimeout
            ).start()
        }
        return configuration
    }
}
