import Catalog
import OpenAPIWriter
import Testing

/// The string form of `Int64Param` admits exactly what the gateway reads as a 64-bit id: 1 to 19
/// digits whose value fits in Int64.
@Suite struct ParameterSchemaTests {
    private static func matches(_ text: String) -> Bool {
        text.wholeMatch(of: try! Regex(ParameterSchema.digitsPattern(atMost: Int64.max))) != nil
    }

    @Test(arguments: [
        "0", "7", "42", "0042", "999999999999999999", "1000000000000000000", "9223372036854775807",
        "9223372036854775799", "9223372036854775707", "9123456789012345678", "0999999999999999999",
    ])
    func digitsUpToTheLargestInt64Match(_ text: String) {
        #expect(Self.matches(text))
    }

    @Test(arguments: [
        "", "-1", "+1", "1.5", "1e3", " 1", "9223372036854775808", "9223372036854775810",
        "9300000000000000000", "9999999999999999999", "10000000000000000000", "00000000000000000001",
    ])
    func anythingElseDoesNot(_ text: String) {
        #expect(!Self.matches(text))
    }

    /// Around every digit of Int64.max, the pattern and Int64's own parser agree.
    @Test func thePatternAgreesWithInt64NearTheBoundary() {
        let maximum = Array(String(Int64.max))
        for index in maximum.indices {
            for digit in "0123456789" {
                var text = maximum
                text[index] = digit
                let candidate = String(text)
                #expect(Self.matches(candidate) == (Int64(candidate) != nil), "\(candidate)")
            }
        }
    }

    @Test func smallerMaximaWorkToo() throws {
        let upTo305 = try Regex(ParameterSchema.digitsPattern(atMost: 305))
        let matching = (0...999).filter { String($0).wholeMatch(of: upTo305) != nil }
        #expect(matching == Array(0...305))
    }
}

extension ParameterSchemaTests {
    /// The spec's client order id pattern (no escapes in its class) is the catalog's rule.
    @Test func theClientOrderIdPatternIsTheCatalogs() throws {
        let pattern = try Regex(ParameterSchema.clientOrderIdPattern)
        for byte in UInt8(0x20)...UInt8(0x7E) {
            let text = String(UnicodeScalar(byte)) + "a"
            #expect((text.wholeMatch(of: pattern) != nil) == ClientOrderIdPattern.matches(text), "\(text)")
        }
        for text in ["", String(repeating: "a", count: 36), String(repeating: "a", count: 37), "é"] {
            #expect((text.wholeMatch(of: pattern) != nil) == ClientOrderIdPattern.matches(text), "\(text)")
        }
    }
}
