/// A symbol is saved by name: its filters come from the simulator's listing, not the file.
extension SymbolSpec: Codable {
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let spec = SymbolSpec.bySymbol[name] else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown symbol \(name)"))
        }
        self = spec
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(symbol)
    }
}
