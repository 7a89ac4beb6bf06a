import PackagePlugin

/// A build-tool plugin that embeds a target's text files (pages, stylesheets, scripts, YAML) in
/// its code: the `embed-files` tool writes one Swift source, `EmbeddedFiles.swift`, into the
/// plugin's build directory, with each file as a raw string literal. Nothing generated is written
/// into the source tree, and the files are read again whenever one of them changes.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    /// The extensions embedded; other files of the target are left alone.
    static let extensions: Set<String> = ["html", "css", "js", "yaml", "json", "svg", "txt"]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let inputs = target.sourceFiles
            .filter { $0.type != .source && Self.extensions.contains($0.url.pathExtension) }
            .map(\.url)
            .sorted { $0.path < $1.path }
        guard !inputs.isEmpty else { return [] }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files in \(target.name)",
                executable: try context.tool(named: "embed-files").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
