import RawJSON
import Yams

/// A YAML document as indented JSON, keeping the order of every mapping. Scalars become what the
/// YAML core schema makes of them: null, booleans, integers and floats as JSON literals, and
/// everything else (timestamps included) as strings.
enum YAMLToJSON {
    enum Failure: Error, CustomStringConvertible {
        case empty
        case unsupportedKey(String)
        case unsupportedNumber(String)

        var description: String {
            switch self {
            case .empty: "the document is empty"
            case .unsupportedKey(let key): "a mapping key is not a scalar: \(key)"
            case .unsupportedNumber(let text): "\(text) has no JSON form"
            }
        }
    }

    static func convert(_ yaml: String) throws -> String {
        guard let node = try Yams.compose(yaml: yaml) else { throw Failure.empty }
        var output = ""
        try write(node, indent: "", into: &output)
        return output + "\n"
    }

    private static func write(_ node: Node, indent: String, into output: inout String) throws {
        let inner = indent + "  "
        switch node {
        case .scalar:
            output += try scalar(node)
        case .mapping(let mapping):
            if mapping.isEmpty {
                output += "{}"
                return
            }
            output += "{\n"
            for (index, pair) in mapping.enumerated() {
                guard let key = pair.key.scalar?.string else { throw Failure.unsupportedKey("\(pair.key)") }
                output += inner + JSONString.quoted(key) + ": "
                try write(pair.value, indent: inner, into: &output)
                output += index == mapping.count - 1 ? "\n" : ",\n"
            }
            output += indent + "}"
        case .sequence(let sequence):
            if sequence.isEmpty {
                output += "[]"
                return
            }
            output += "[\n"
            for (index, element) in sequence.enumerated() {
                output += inner
                try write(element, indent: inner, into: &output)
                output += index == sequence.count - 1 ? "\n" : ",\n"
            }
            output += indent + "]"
        }
    }

    private static func scalar(_ node: Node) throws -> String {
        let text = node.scalar?.string ?? ""
        switch Tag.Name(rawValue: node.tag.description) {
        case .null: return "null"
        case .bool: return node.bool.map { $0 ? "true" : "false" } ?? JSONString.quoted(text)
        case .int:
            guard let value = node.int else { throw Failure.unsupportedNumber(text) }
            return String(value)
        case .float:
            guard let value = node.float, value.isFinite else { throw Failure.unsupportedNumber(text) }
            return String(value)
        default: return JSONString.quoted(text)
        }
    }
}
