import Synchronization

/// Whether the shared upstream connection is logged on (`session.logon`, Ed25519 keys only):
/// signed requests then carry a timestamp but no apiKey or signature.
///
/// Set by `SessionLogonConnector` after each connect; read when a request is encoded.
public final class SessionAuthorization: Sendable {
    private let loggedOn = Atomic<Bool>(false)

    public init() {}

    public var isLoggedOn: Bool { loggedOn.load(ordering: .acquiring) }

    func set(_ value: Bool) { loggedOn.store(value, ordering: .releasing) }
}
