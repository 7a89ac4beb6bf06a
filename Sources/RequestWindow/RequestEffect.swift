/// Whether sending a request twice could do something twice; it decides what a lost
/// connection may do with the request.
public enum RequestEffect: Sendable, Hashable {
    /// Safe to resend after a disconnect (market data, queries).
    case readOnly
    /// Orders, leverage, margin: never resent blindly.
    case stateChanging
}
