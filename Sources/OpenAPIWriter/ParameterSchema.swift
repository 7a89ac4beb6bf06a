import Catalog
import RawJSON

/// How a call parameter is written in `openapi.yaml`. The shared types are named schemas
/// (`Int64Param`, `DecimalParam`, `Symbol`, `ClientOrderId`, the lists), so that every generator
/// makes one model per type and names it for what it is; value sets stay inline enums.
///
/// Each schema admits only what the gateway accepts. Where the gateway is more lenient (decimals
/// as JSON numbers, booleans as strings, lists as JSON text, python-binance's aliases), the schema
/// keeps the one form that every generator can type, and the description names the others.
public enum ParameterSchema {
    /// Binance's client order id pattern (`ClientOrderIdPattern.regex`, `^[\.A-Z\:/a-z0-9_-]{1,36}$`)
    /// with no escapes inside the class: `\:` is not a valid escape in a Unicode ECMAScript pattern.
    public static let clientOrderIdPattern = "^[.A-Z:/a-z0-9_-]{1,36}$"

    /// The schema of one parameter, as YAML lines.
    static func yaml(_ parameter: ParameterSpec) -> [String] {
        switch parameter.kind {
        case .text: ["type: string", "minLength: 1", "maxLength: 256"]
        case .clientOrderId: ref("ClientOrderId")
        case .symbol: ref("Symbol")
        case .decimal: ref("DecimalParam")
        case .integer: ref("Int64Param")
        case .boolean: ["type: boolean"]
        case .oneOf(let values):
            ["type: string", "enum: [\(values.map { JSONString.quoted($0) }.joined(separator: ", "))]"]
        case .integerOneOf(let values): ["type: integer", "enum: [\(values.map(String.init).joined(separator: ", "))]"]
        case .integerList, .textList, .clientOrderIdList: ref(listName(parameter.name))
        }
    }

    /// The named schemas the parameters refer to, in the order they are written.
    static func components() -> [(name: String, lines: [String])] {
        var components: [(name: String, lines: [String])] = [
            (
                "Symbol",
                [
                    "type: string", "description: A symbol or pair as the exchange spells it, e.g. `BTCUSDT`.",
                    #"pattern: "^[A-Z0-9_.-]{1,32}$""#,
                ]
            ),
            (
                "DecimalParam",
                [
                    "type: string",
                    "description: "
                        + JSONString.quoted(
                            "A non-negative decimal as a string of digits, e.g. `\"0.010\"`; it reaches the exchange "
                                + "with exactly these digits. The gateway also takes a JSON number written the same "
                                + "way (`0.010`), never in exponent form."),
                    #"pattern: "^[0-9]{1,20}(\\.[0-9]{1,20})?$""#,
                ]
            ),
            (
                "Int64Param",
                [
                    "description: "
                        + JSONString.quoted(
                            "A non-negative 64-bit integer (an id, a time in ms since the Unix epoch, a count), "
                                + "as a JSON number or a string of its decimal digits."),
                    "oneOf:", "  - type: integer", "    format: int64", "    minimum: 0",
                    "  - type: string", "    pattern: \"\(digitsPattern(atMost: Int64.max))\"",
                ]
            ),
            (
                "ClientOrderId",
                [
                    "type: string",
                    "description: "
                        + JSONString.quoted(
                            "A client order id, as Binance allows them: 1 to 36 of `A-Z a-z 0-9 . : / _ -`."),
                    "pattern: \"\(clientOrderIdPattern)\"",
                ]
            ),
        ]
        var lists: [String: [String]] = [:]
        for parameter in CallCatalog.all.flatMap(\.parameters) {
            let items: [String], maximum: Int, forms: String
            let texts = #"`'["a","b"]'`) or comma-separated values (`a,b`)"#
            switch parameter.kind {
            case .integerList(let most):
                (items, maximum, forms) = (ref("Int64Param"), most, "`'[1,2]'`) or comma-separated values (`1,2`)")
            case .clientOrderIdList(let most): (items, maximum, forms) = (ref("ClientOrderId"), most, texts)
            case .textList(let most): (items, maximum, forms) = (["type: string", "minLength: 1"], most, texts)
            default: continue
            }
            let name = listName(parameter.name)
            let lines =
                [
                    "type: array",
                    "description: "
                        + JSONString.quoted(
                            "1 to \(maximum) items. The gateway also takes the list as one string: its JSON text "
                                + "(python-binance sends \(forms)."),
                    "minItems: 1", "maxItems: \(maximum)", "items:",
                ] + items.map { "  " + $0 }
            if let known = lists[name] {
                precondition(known == lines, "\(parameter.name) has two different list types in the catalog")
                continue
            }
            lists[name] = lines
            components.append((name, lines))
        }
        return components
    }

    /// A regular expression for the decimal strings of `0...maximum`, with leading zeros up to as
    /// many digits as `maximum` has (the gateway reads `"0042"` as 42): every shorter string of
    /// digits, then each longer one digit by digit below `maximum`'s.
    public static func digitsPattern(atMost maximum: Int64) -> String {
        let digits = Array(String(maximum)).map { $0.wholeNumberValue! }
        var alternatives = digits.count > 1 ? ["[0-9]{1,\(digits.count - 1)}"] : []
        for (index, digit) in digits.enumerated() {
            let prefix = digits[..<index].map(String.init).joined()
            let rest = digits.count - index - 1
            if rest == 0 {
                alternatives.append(prefix + "[0-\(digit)]")
            } else if digit > 0 {
                alternatives.append(prefix + (digit == 1 ? "0" : "[0-\(digit - 1)]") + "[0-9]{\(rest)}")
            }
        }
        return "^(?:" + alternatives.joined(separator: "|") + ")$"
    }

    private static func listName(_ parameter: String) -> String {
        parameter.prefix(1).uppercased() + parameter.dropFirst()
    }

    private static func ref(_ name: String) -> [String] { ["$ref: \"#/components/schemas/\(name)\""] }
}
