import Foundation
import TestSupport

/// A page opened in headless Chromium (Debian's `chromium`, which `scripts/test` installs) and
/// driven over the DevTools protocol by Tests/Interop/browser_page.py: a script runs in the page,
/// its value comes back as JSON, and a screenshot lands in the test output folder.
enum BrowserPage {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// `TEST_OUTPUT_DIR`, else `.build/test-output` in the repository: screenshots for a person to look at.
    static var outputDirectory: URL {
        let configured = ProcessInfo.processInfo.environment["TEST_OUTPUT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let directory =
            configured.map { URL(fileURLWithPath: $0) }
            ?? RepositoryRoot.url.appendingPathComponent(".build/test-output")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    enum Failure: Error, CustomStringConvertible {
        case noChromium
        case failed(String)
        var description: String {
            switch self {
            case .noChromium: "headless Chromium is needed: apt-get install chromium"
            case .failed(let output): "browser_page.py failed: \(output)"
            }
        }
    }

    /// Opens `url` at `width` CSS pixels, runs `script` (a file under Tests/Interop, or nil) and
    /// saves `screenshot` (a file name) in the output folder; returns the script's value.
    /// `headers` go with every request of the page, the page itself included.
    static func open(
        _ url: String, width: Int, script: String?, screenshot: String, fullPage: Bool = false,
        headers: [String: String] = [:]
    ) throws -> Any? {
        guard let chromium else { throw Failure.noChromium }
        let root = RepositoryRoot.url
        var arguments = [
            root.appendingPathComponent("Tests/Interop/browser_page.py").path, chromium, url, String(width),
            outputDirectory.appendingPathComponent(screenshot).path,
        ]
        if let script { arguments.append(root.appendingPathComponent("Tests/Interop/\(script)").path) }
        if fullPage { arguments.append("--full-page") }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["--header", "\(name): \(value)"] }
        let outcome = try ChildProcess.run(
            URL(fileURLWithPath: RepositoryRoot.python), arguments, timeout: .seconds(120))
        guard outcome.succeeded else {
            throw Failure.failed(String(outcome.standardError.suffix(3000)))
        }
        return try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8), options: [.fragmentsAllowed])
    }
}
