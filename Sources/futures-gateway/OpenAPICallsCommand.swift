import ArgumentParser
import Gateway

/// `futures-gateway openapi-calls`: prints the `/v1/{call}` paths of `openapi.yaml` and the
/// schemas of their answers, written from the call catalog (`scripts/openapi` puts them into the file).
struct OpenAPICallsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi-calls",
        abstract: "Print the /v1/{call} paths and answer schemas of openapi.yaml, generated from the call catalog."
    )

    func run() {
        print(OpenAPICallPaths.yaml(), terminator: "")
        print(OpenAPICallPaths.schemasYAML(), terminator: "")
    }
}
