import RawJSON

/// A WebSocket API request frame `{"id","method","params"}`, read once: the method, the id as
/// the JSON text to echo in the answer, and the params with their exact text.
struct RequestEnvelope: Sendable {
    let method: String
    /// A string id quoted again, an integer's digits, or `null`.
    let id: String
    let params: JSONParams

    /// A frame refused before any method runs, with the id to answer under (`null` when it
    /// could not be read).
    struct Refusal: Error {
        let id: String
        let error: ExchangeError
    }

    init(frame: [UInt8]) throws(Refusal) {
        let request: JSONObject
        do {
            request = try JSONObject(parsing: frame)
        } catch {
            let isDuplicate = if case .duplicateKey = error { true } else { false }
            throw Refusal(id: "null", error: isDuplicate ? .duplicateParameter : .malformedRequest)
        }
        guard let method = request["method"]?.string, let id = Self.idJSON(request["id"]) else {
            throw Refusal(id: "null", error: .malformedRequest)
        }
        self.method = method
        self.id = id
        do { params = try JSONParams(request: request) } catch { throw Refusal(id: id, error: error) }
    }

    /// The method and id of a frame, whatever its params; id `null` when unreadable.
    static func methodAndID(_ frame: [UInt8]) -> (method: String?, id: String) {
        guard let request = try? JSONObject(parsing: frame) else { return (nil, "null") }
        return (request["method"]?.string, idJSON(request["id"]) ?? "null")
    }

    /// The request id as JSON text (string, integer or null), or `nil` when it is none of those.
    private static func idJSON(_ id: RawJSONScanner.Value?) -> String? {
        guard let id else { return "null" }
        if id.string != nil || id.isNull || id.integer != nil { return id.json }
        return nil
    }
}
