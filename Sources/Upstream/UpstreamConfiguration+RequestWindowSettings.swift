import RequestWindow

/// The multiplexer's window and backoff come from its configuration.
extension UpstreamConfiguration: RequestWindowSettings {}
