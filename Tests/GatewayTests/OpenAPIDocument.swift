import Foundation
import HTTP1
import Yams

/// The routes `openapi.yaml` documents, read from the file at the repository root.
struct OpenAPIDocument {
    struct Operation: Hashable, Comparable, CustomStringConvertible {
        let method: HTTPMethod
        /// The path template as documented, e.g. `/v1/call/{method}`.
        let path: String

        var description: String { "\(method.rawValue) \(path)" }

        static func < (lhs: Operation, rhs: Operation) -> Bool { lhs.description < rhs.description }
    }

    let operations: Set<Operation>

    static let repositoryFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("openapi.yaml")

    init(contentsOf url: URL = OpenAPIDocument.repositoryFile) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let root = try Yams.load(yaml: text) as? [String: Any],
            let paths = root["paths"] as? [String: Any]
        else { throw DocumentError.noPaths }
        var operations = Set<Operation>()
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            for key in item.keys {
                guard let method = HTTPMethod(rawValue: key.uppercased()) else { continue }
                operations.insert(Operation(method: method, path: path))
            }
        }
        self.operations = operations
    }

    enum DocumentError: Error { case noPaths }
}
