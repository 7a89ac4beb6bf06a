import RequestWindow

/// The REST client's window and backoff come from its configuration.
extension RESTClientConfiguration: RequestWindowSettings {}
