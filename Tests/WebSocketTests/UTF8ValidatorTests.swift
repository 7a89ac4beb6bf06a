import Testing

@testable import WebSocket

/// The hand-written validator agrees with the standard library's on any input.
@Suite("UTF-8 validator")
struct UTF8ValidatorTests {
    @Test func agreesWithTheStandardLibraryOnRandomInput() {
        var generator = SystemRandomNumberGenerator()
        // Bytes biased towards the interesting ranges: ASCII, continuations, lead bytes.
        let alphabet: [UInt8] = [
            0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1,
            0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            #expect(UTF8Validator.isValid(bytes) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }

    @Test func everyScalarBoundary() {
        for scalar in [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF] {
            let text = String(Unicode.Scalar(UInt32(scalar))!)
            #expect(UTF8Validator.isValid(Array(text.utf8)))
            #expect(UTF8Validator.isValid(Array((String(repeating: "x", count: 9) + text + "12345678").utf8)))
        }
    }

    @Test func longASCIIWithOneBadByteAnywhere() {
        for position in 0..<40 {
            var bytes = [UInt8](repeating: 0x61, count: 40)
            bytes[position] = 0x80
            #expect(!UTF8Validator.isValid(bytes))
        }
    }
}
