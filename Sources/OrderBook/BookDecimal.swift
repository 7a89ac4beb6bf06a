/// A non-negative decimal as the exchange writes prices and quantities (`"7403.89"`,
/// `"0.00200000"`), held as an exact integer count of 10⁻⁸ and the number of fraction digits it
/// was written with, so that it compares as an integer and prints back to the same text.
///
/// Parsing is strict: digits, at most one point with digits after it, no sign, no exponent, no
/// leading zero before another digit, at most 10 integer and 8 fraction digits. Anything else is
/// refused rather than rounded.
public struct BookDecimal: Sendable, Hashable {
    /// Fraction digits the representation keeps.
    public static let scale = 8
    static let unit: Int64 = 100_000_000
    static let maximumIntegerDigits = 10

    /// The value times 10⁸.
    public let units: Int64
    /// Fraction digits as written (0 for `"4"`, 8 for `"4.00000000"`).
    public let fractionDigits: UInt8

    public init?(_ text: String) {
        var text = text
        guard let value = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = value
    }

    init(units: Int64, fractionDigits: UInt8) {
        self.units = units
        self.fractionDigits = fractionDigits
    }

    public var isZero: Bool { units == 0 }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> BookDecimal? {
        var index = 0
        var integer: Int64 = 0
        var integerDigits = 0
        while index < bytes.count, let digit = Self.digit(bytes[index]) {
            if integerDigits == 1, integer == 0 { return nil }  // "01" would print as "1"
            integer = integer * 10 + digit
            integerDigits += 1
            index += 1
        }
        guard (1...maximumIntegerDigits).contains(integerDigits) else { return nil }
        var fraction: Int64 = 0
        var fractionDigits = 0
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: ".") else { return nil }
            index += 1
            while index < bytes.count, let digit = Self.digit(bytes[index]) {
                guard fractionDigits < scale else { return nil }
                fraction = fraction * 10 + digit
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0, index == bytes.count else { return nil }
        }
        for _ in fractionDigits..<scale { fraction *= 10 }
        return BookDecimal(units: integer * unit + fraction, fractionDigits: UInt8(fractionDigits))
    }

    private static func digit(_ byte: UInt8) -> Int64? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int64(byte - UInt8(ascii: "0")) : nil
    }

    /// Appends the text the value was parsed from.
    public func write(into out: inout [UInt8]) {
        var integer = units / Self.unit
        var digits: (UInt64, UInt64) = (0, 0)  // room for 10 integer digits, written backwards
        var count = 0
        repeat {
            withUnsafeMutableBytes(of: &digits) { $0[count] = UInt8(ascii: "0") + UInt8(integer % 10) }
            integer /= 10
            count += 1
        } while integer > 0
        withUnsafeBytes(of: &digits) { raw in
            for position in stride(from: count - 1, through: 0, by: -1) { out.append(raw[position]) }
        }
        guard fractionDigits > 0 else { return }
        out.append(UInt8(ascii: "."))
        var fraction = units % Self.unit
        var divisor = Self.unit / 10
        for _ in 0..<fractionDigits {
            out.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    /// The text the value was parsed from.
    public var text: String {
        var out: [UInt8] = []
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
