import Foundation
import TestSupport

/// The official example payloads in `Tests/Fixtures/ws-fapi`, and a way to compare JSON
/// documents by shape: the same keys, and the same JSON type under each.
enum FixtureShape {
    static let directory = RepositoryRoot.appending("Tests/Fixtures/ws-fapi")

    static func load(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// A canonical description of `value`'s shape, e.g. `{a:string,b:[integer]}`.
    static func of(_ value: Any) -> String {
        switch value {
        case let object as [String: Any]:
            "{" + object.keys.sorted().map { "\($0):\(of(object[$0]!))" }.joined(separator: ",") + "}"
        case let array as [Any]:
            "[" + (array.first.map(of) ?? "") + "]"
        case is String: "string"
        case let number as NSNumber:
            String(cString: number.objCType) == "c"
                ? "boolean"
                : (number.doubleValue.rounded() == number.doubleValue && !"\(number)".contains(".")
                    ? "integer" : "number")
        case is NSNull: "null"
        default: "unknown"
        }
    }

    static func parse(_ bytes: [UInt8]) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
    }
}
