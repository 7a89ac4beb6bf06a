import Foundation

/// The checkout this test build comes from, found from this file's own path, and the files
/// tests read from it (fixtures, scripts, the Python venv).
public enum RepositoryRoot {
    /// The repository's top folder (the one holding Package.swift).
    public static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `relative` (slash-separated) below the repository root.
    public static func appending(_ relative: String) -> URL {
        url.appendingPathComponent(relative)
    }

    /// The Python interpreter for interop tests: `INTEROP_PYTHON` (scripts/test points it at the
    /// project venv), else `.venv/bin/python` at the repository root.
    public static var python: String {
        if let configured = ProcessInfo.processInfo.environment["INTEROP_PYTHON"], !configured.isEmpty {
            return configured
        }
        return appending(".venv/bin/python").path
    }
}
