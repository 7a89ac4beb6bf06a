import RawJSON

/// Reads a call's parameters from a JSON body or a query string and validates them against
/// the call's spec, before anything goes upstream.
///
/// JSON `null` counts as absent (python-binance drops `None` the same way). Parameter names
/// may be the upstream's or an alias; giving both is a duplicate.
public struct ArgumentReader: Sendable {
    /// Parameters the gateway sets itself.
    public static let reserved: Set<String> = ["apiKey", "timestamp", "signature"]

    public let spec: CallSpec

    public init(spec: CallSpec) { self.spec = spec }

    /// From a POST body: one JSON object (an empty body means no parameters).
    public func read(jsonBody body: [UInt8]) throws(CallError) -> CallArguments {
        guard body.contains(where: { !Self.isWhitespace($0) }) else { return try finish(CallArguments()) }
        var scanner = RawJSONScanner(body)
        let members: [RawJSONScanner.Member]
        do {
            members = try scanner.document()
        } catch .duplicateKey(let key) {
            throw .duplicate(key)
        } catch {
            throw .malformedBody("not one valid JSON object")
        }
        var arguments = CallArguments()
        for member in members {
            if case .raw("null") = member.value { continue }
            let parameter = try parameter(for: member.key)
            guard !arguments.contains(parameter.name) else { throw .duplicate(parameter.name) }
            arguments.set(parameter.name, try ValueParser(parameter).parse(member.value))
        }
        return try finish(arguments)
    }

    /// From a GET query: decoded `name=value` pairs.
    public func read(query: [(name: String, value: String)]) throws(CallError) -> CallArguments {
        var arguments = CallArguments()
        for (name, value) in query {
            let parameter = try parameter(for: name)
            guard !arguments.contains(parameter.name) else { throw .duplicate(parameter.name) }
            arguments.set(parameter.name, try ValueParser(parameter).parse(queryValue: value))
        }
        return try finish(arguments)
    }

    private func parameter(for name: String) throws(CallError) -> ParameterSpec {
        if Self.reserved.contains(name) { throw .reservedParameter(name) }
        guard let parameter = spec.parameter(named: name) else { throw .unknownParameter(name) }
        return parameter
    }

    private func finish(_ arguments: CallArguments) throws(CallError) -> CallArguments {
        for parameter in spec.parameters where parameter.isRequired && !arguments.contains(parameter.name) {
            throw .missing(parameter.name)
        }
        for group in spec.requiresOneOf where !group.contains(where: arguments.contains) {
            throw .missingOneOf(group)
        }
        return arguments
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
