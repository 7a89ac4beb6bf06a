/// The readiness a connection asks its loop to report for its socket.
struct SocketInterest: Sendable, Equatable {
    var readable: Bool
    var writable: Bool

    static let none = SocketInterest(readable: false, writable: false)
}
