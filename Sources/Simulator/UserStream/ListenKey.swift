/// A live listen key: the key a user data stream connects with, and when it expires unless
/// kept alive (`PUT /fapi/v1/listenKey`, `userDataStream.ping`).
struct ListenKey: Sendable, Hashable {
    let key: String
    /// Milliseconds since the epoch, on the exchange's clock.
    let expiresAt: Int64
}
