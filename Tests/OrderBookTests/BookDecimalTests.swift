import Testing

@testable import OrderBook

@Suite struct BookDecimalTests {
    @Test(arguments: ["0", "4", "4.00000000", "7403.89", "0.002", "0.00000001", "9999999999.99999999", "10", "0.0"])
    func exchangeTextPrintsBackUnchanged(_ text: String) throws {
        let value = try #require(BookDecimal(text))
        #expect(value.text == text)
    }

    @Test(arguments: [
        "", ".5", "5.", "01", "00.1", "-1", "+1", "1e5", "1.000000001", "12345678901", "1..2", "1.2.3", " 1", "1 ",
        "0x10",
    ])
    func ambiguousOrUnrepresentableTextIsRefused(_ text: String) {
        #expect(BookDecimal(text) == nil)
    }

    @Test func valuesCompareByAmountWhateverTheirDigits() throws {
        let short = try #require(BookDecimal("4.1"))
        let long = try #require(BookDecimal("4.10000000"))
        #expect(short.units == long.units)
        #expect(short.units == 410_000_000)
        #expect(try #require(BookDecimal("0.00")).isZero)
    }
}
