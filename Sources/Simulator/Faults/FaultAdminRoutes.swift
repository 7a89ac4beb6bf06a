import HTTP1
import HTTPServer

/// `GET` and `POST /admin/faults`: read or replace the simulator's fault settings while it runs.
///
/// They exist only on a simulator started with the admin switch on (`--fault-admin`); otherwise
/// the path is unknown (404), so a normal simulator cannot be disturbed by accident.
enum FaultAdminRoutes {
    static let path = "/admin/faults"

    /// Adds both routes when `faults.adminEnabled`; does nothing otherwise.
    static func register(on router: inout HTTPRouter, faults: SimulatorFaultSwitch) {
        guard faults.adminEnabled else { return }
        router.add(.GET, path) { _ in .json(.ok, faults.current.json) }
        router.add(.POST, path) { (request: HTTPRequest) -> HTTPResponse in
            do {
                let settings = try SimulatorFaults(json: request.body)
                faults.replace(with: settings)
                return .json(.ok, settings.json)
            } catch {
                return .error(FaultSettingsRefusal(reason: "\(error)"))
            }
        }
    }
}

/// A refused admin body: 400 with the reason.
struct FaultSettingsRefusal: APIError {
    let reason: String
    var status: HTTPStatus { .badRequest }
    var message: String { "invalid fault settings: \(reason)" }
}

/// The answer to a WebSocket upgrade while `refuseHandshakes` is on.
struct HandshakeRefusedByFault: APIError {
    var status: HTTPStatus { .serviceUnavailable }
    var message: String { "simulator fault: handshakes refused" }
}
