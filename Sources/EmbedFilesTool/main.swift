import Foundation
import Yams

// embed-files OUTPUT INPUT...: writes OUTPUT, a Swift source declaring `enum EmbeddedFiles` with
// each INPUT's text as a raw string literal, named after the file (`status.html` becomes
// `statusHtml`). A YAML file also gets its JSON form (`openapi.yaml` gives `openapiJson` too).
// Run by the EmbedFiles build-tool plugin; it never writes into the source tree.

let arguments = CommandLine.arguments.dropFirst()
guard let outputPath = arguments.first, arguments.count > 1 else {
    FileHandle.standardError.write(Data("usage: embed-files OUTPUT INPUT...\n".utf8))
    exit(2)
}

var declarations: [String] = []
var names: Set<String> = []
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let fileName = url.lastPathComponent
    let text: String
    do {
        text = try String(contentsOf: url, encoding: .utf8)
    } catch {
        FileHandle.standardError.write(Data("embed-files: cannot read \(path) as UTF-8 text: \(error)\n".utf8))
        exit(1)
    }
    let name = SwiftSource.identifier(fileName)
    guard names.insert(name).inserted else {
        FileHandle.standardError.write(Data("embed-files: two files are named \(name)\n".utf8))
        exit(1)
    }
    declarations.append(SwiftSource.declaration(name: name, summary: "`\(fileName)`, byte for byte.", text: text))
    if url.pathExtension == "yaml" {
        do {
            let json = try YAMLToJSON.convert(text)
            let jsonName = SwiftSource.identifier(url.deletingPathExtension().lastPathComponent + ".json")
            guard names.insert(jsonName).inserted else {
                FileHandle.standardError.write(Data("embed-files: two files are named \(jsonName)\n".utf8))
                exit(1)
            }
            declarations.append(SwiftSource.declaration(name: jsonName, summary: "`\(fileName)` as JSON.", text: json))
        } catch {
            FileHandle.standardError.write(Data("embed-files: \(path) is not valid YAML: \(error)\n".utf8))
            exit(1)
        }
    }
}

let source = """
    // Written at build time by the embed-files tool (EmbedFiles plugin); not part of the source tree.

    /// The text files embedded in this module at build time.
    enum EmbeddedFiles {
    \(declarations.joined(separator: "\n\n"))
    }

    """
do {
    let existing = try? String(contentsOfFile: outputPath, encoding: .utf8)
    if existing != source { try source.write(toFile: outputPath, atomically: true, encoding: .utf8) }
} catch {
    FileHandle.standardError.write(Data("embed-files: cannot write \(outputPath): \(error)\n".utf8))
    exit(1)
}
