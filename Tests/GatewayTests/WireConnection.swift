import TestSupport

/// The name the OpenAPI contract tests use for the shared loopback client.
typealias WireConnection = LoopbackClient
