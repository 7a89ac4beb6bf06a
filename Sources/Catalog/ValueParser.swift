import RawJSON

/// Checks one value against its parameter's kind and normalizes it (`ParamValue`).
struct ValueParser {
    let parameter: ParameterSpec

    init(_ parameter: ParameterSpec) { self.parameter = parameter }

    /// A value from a JSON body.
    func parse(_ value: RawJSONScanner.Value) throws(CallError) -> ParamValue {
        switch (parameter.kind, value) {
        case (.integerList, .raw(let text)) where text.hasPrefix("["),
            (.textList, .raw(let text)) where text.hasPrefix("["),
            (.clientOrderIdList, .raw(let text)) where text.hasPrefix("["):
            return try list(text)
        case (.decimal, .raw(let text)), (.integer, .raw(let text)), (.integerOneOf, .raw(let text)):
            return try scalar(text)
        case (.boolean, .raw(let text)) where text == "true" || text == "false":
            return .text(text)
        case (_, .string(let text)):
            return try parse(queryValue: text)
        default:
            throw invalid
        }
    }

    /// A value given as text: a query value, or a JSON string.
    func parse(queryValue text: String) throws(CallError) -> ParamValue {
        switch parameter.kind {
        case .text:
            guard !text.isEmpty, text.utf8.count <= 256 else { throw invalid }
            return .text(text)
        case .clientOrderId:
            guard ClientOrderIdPattern.matches(text) else { throw invalid }
            return .text(text)
        case .symbol:
            guard (1...32).contains(text.utf8.count), text.utf8.allSatisfy(Self.isSymbolByte) else { throw invalid }
            return .text(text)
        case .decimal, .integer, .integerOneOf:
            return try scalar(text)
        case .boolean:
            switch text.lowercased() {
            case "true": return .text("true")
            case "false": return .text("false")
            default: throw invalid
            }
        case .oneOf(let values):
            guard values.contains(text) else { throw invalid }
            return .text(text)
        case .integerList, .textList, .clientOrderIdList:
            if text.hasPrefix("[") { return try list(text) }
            // A comma-separated query value: `orderIdList=1,2`.
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return try listValue(
                items.map { item in
                    if case .integerList = parameter.kind { return .raw(item) }
                    return .string(item)
                })
        }
    }

    private func scalar(_ text: String) throws(CallError) -> ParamValue {
        if case .integerOneOf(let values) = parameter.kind {
            guard let number = Int(text), values.contains(number), Self.isInteger(text) else { throw invalid }
            return .integer(Self.canonicalInteger(text))
        }
        if case .integer = parameter.kind {
            guard Self.isInteger(text) else { throw invalid }
            return .integer(Self.canonicalInteger(text))
        }
        guard Self.isDecimal(text) else { throw invalid }
        return .text(text)
    }

    private func list(_ text: String) throws(CallError) -> ParamValue {
        var scanner = RawJSONScanner(Array(text.utf8))
        guard let items = try? scanner.arrayDocument() else { throw invalid }
        return try listValue(items)
    }

    private func listValue(_ items: [RawJSONScanner.Value]) throws(CallError) -> ParamValue {
        guard !items.isEmpty else { throw invalid }
        switch parameter.kind {
        case .integerList(let maximum):
            guard items.count <= maximum else { throw invalid }
            var texts: [String] = []
            for item in items {
                switch item {
                case .raw(let text) where Self.isInteger(text): texts.append(Self.canonicalInteger(text))
                case .string(let text) where Self.isInteger(text): texts.append(Self.canonicalInteger(text))
                default: throw invalid
                }
            }
            return .list("[" + texts.joined(separator: ",") + "]")
        case .textList(let maximum), .clientOrderIdList(let maximum):
            guard items.count <= maximum else { throw invalid }
            let isIdList = if case .clientOrderIdList = parameter.kind { true } else { false }
            var texts: [String] = []
            for item in items {
                guard case .string(let text) = item, !text.isEmpty else { throw invalid }
                if isIdList && !ClientOrderIdPattern.matches(text) { throw invalid }
                texts.append(JSONString.quoted(text))
            }
            return .list("[" + texts.joined(separator: ",") + "]")
        default:
            throw invalid
        }
    }

    private var invalid: CallError { .invalid(name: parameter.name, expected: parameter.typeDescription) }

    /// Binance's DECIMAL: `^([0-9]{1,20})(\.[0-9]{1,20})?$`.
    static func isDecimal(_ text: String) -> Bool {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { (1...20).contains($0.utf8.count) && $0.utf8.allSatisfy(isDigit) }
    }

    /// A non-negative integer that fits in Int64.
    static func isInteger(_ text: String) -> Bool {
        (1...19).contains(text.utf8.count) && text.utf8.allSatisfy(isDigit) && Int64(text) != nil
    }

    /// An integer as JSON writes it: `0892` (fine in a query) would be invalid JSON upstream, so it goes as `892`.
    static func canonicalInteger(_ text: String) -> String {
        guard text.utf8.count > 1, text.utf8.first == UInt8(ascii: "0") else { return text }
        return String(Int64(text)!)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isSymbolByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
