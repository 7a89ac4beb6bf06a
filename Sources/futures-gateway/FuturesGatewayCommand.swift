import ArgumentParser

/// The `futures-gateway` command: a local REST gateway to Binance USDⓈ-M Futures.
@main
struct FuturesGatewayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "futures-gateway",
        abstract: "A local REST-to-WebSocket gateway for Binance USDⓈ-M Futures.",
        subcommands: [ServeCommand.self, SimulatorCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
