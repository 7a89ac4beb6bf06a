/// Swift source text for embedded files: identifiers from file names and raw string literals.
enum SwiftSource {
    /// `status-page.html` → `statusPageHtml`: the name's letters and digits in lower camel case.
    static func identifier(_ fileName: String) -> String {
        let words = fileName.split { !($0.isLetter || $0.isNumber) || !$0.isASCII }.map(String.init)
        var name = words.enumerated().map { index, word in
            index == 0 ? word.prefix(1).lowercased() + word.dropFirst() : word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
        if name.isEmpty || name.first!.isNumber { name = "file" + name }
        return name
    }

    /// `static let name = #"""…"""#` whose value is exactly `text`.
    static func declaration(name: String, summary: String, text: String) -> String {
        "    /// \(summary)\n    static let \(name) = \(rawLiteral(text))"
    }

    /// A raw multi-line string literal whose value is exactly `text`: enough `#`s that nothing
    /// inside ends the literal or starts an escape, and the delimiters on lines of their own.
    static func rawLiteral(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
        let body = text.replacingOccurrences(of: "\r\n", with: "\n")
        return hashes + "\"\"\"\n" + body + "\n\"\"\"" + hashes
    }
}
