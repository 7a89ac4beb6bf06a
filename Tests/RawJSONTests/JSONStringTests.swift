import RawJSON
import Testing

@Suite("JSON string quoting")
struct JSONStringTests {
    @Test(arguments: [
        ("", #""""#),
        ("BTCUSDT", #""BTCUSDT""#),
        (#"a"b\c"#, #""a\"b\\c""#),
        ("\"", #""\"""#),
        ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
        ("\u{0}\u{1F}x\u{7F}", #""\u0000\u001fx\#u{7F}""#),
        ("é中🙂", "\"é中🙂\""),
    ])
    func escapesQuotesBackslashesAndControlCharactersOnly(_ text: String, _ expected: String) {
        #expect(JSONString.quoted(text) == expected)
    }

    @Test func appendsAfterWhatIsThere() {
        var out = Array("[".utf8)
        JSONString.append("a\\", to: &out)
        JSONString.append(String(repeating: "x", count: 100) + "\"", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"["a\\"""# + String(repeating: "x", count: 100) + #"\"""#)
    }
}
