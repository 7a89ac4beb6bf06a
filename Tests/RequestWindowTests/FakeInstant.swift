/// A made-up instant: a duration since an arbitrary origin, moved only by the test.
struct FakeInstant: InstantProtocol {
    var offset: Duration

    static let zero = FakeInstant(offset: .zero)

    func advanced(by duration: Duration) -> FakeInstant { FakeInstant(offset: offset + duration) }
    func duration(to other: FakeInstant) -> Duration { other.offset - offset }
    static func < (lhs: FakeInstant, rhs: FakeInstant) -> Bool { lhs.offset < rhs.offset }
}

extension FakeInstant {
    static func seconds(_ value: Int) -> FakeInstant { FakeInstant(offset: .seconds(value)) }
    static func milliseconds(_ value: Int) -> FakeInstant { FakeInstant(offset: .milliseconds(value)) }
}
