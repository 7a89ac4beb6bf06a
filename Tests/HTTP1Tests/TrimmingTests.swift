import HTTP1
import Testing

/// The one trimming helper the modules share (no Foundation).
@Suite struct TrimmingTests {
    @Test func whitespaceAndNewlinesByDefault() {
        #expect(" \t token\r\n".trimmed() == "token")
        #expect("a b".trimmed() == "a b")
        #expect(" \n ".trimmed().isEmpty)
        #expect("".trimmed().isEmpty)
    }

    @Test func optionalWhitespaceIsSpacesAndTabsOnly() {
        #expect(" \tgzip, chunked \t".trimmingOWS() == "gzip, chunked")
        #expect("\r\nvalue\r\n".trimmingOWS() == "\r\nvalue\r\n")
    }
}
