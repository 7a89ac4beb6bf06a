/// The OpenAPI contract, built into the binary from `openapi.yaml` by the EmbedFiles plugin:
/// `GET /openapi.yaml` and `GET /openapi.json` serve it with no file at run time.
public enum OpenAPIContract {
    /// `openapi.yaml`, byte for byte.
    public static var yaml: String { EmbeddedFiles.openapiYaml }

    /// The same document as JSON, converted when the binary is built.
    public static var json: String { EmbeddedFiles.openapiJson }
}
