import OpenAPIWriter

// `futures-gateway-openapi`: prints the generated parts of `openapi.yaml` (the `/v1/{call}`
// operations, then the parameter and answer schemas), each between its markers; `scripts/openapi`
// splices them into the file. A development tool: it is not part of the shipped binary.
print(OpenAPICallPaths.yaml(), terminator: "")
print(OpenAPICallPaths.schemasYAML(), terminator: "")
