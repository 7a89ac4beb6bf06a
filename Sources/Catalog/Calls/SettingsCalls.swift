/// Leverage and margin settings. Seed calls 24-26.
enum SettingsCalls {
    static let all: [CallSpec] = [
        CallSpec(
            "ws_futures_change_leverage", .rest(.POST, "/fapi/v1/leverage"), security: .signed,
            changesState: true, parameters: [P.symbol, .required("leverage", .integer)], weight: .fixed(1),
            summary: "Set a symbol's initial leverage (1-125)."),
        CallSpec(
            "ws_futures_change_margin_type", .rest(.POST, "/fapi/v1/marginType"), security: .signed,
            changesState: true, parameters: [P.symbol, .required("marginType", .oneOf(["ISOLATED", "CROSSED"]))],
            weight: .fixed(1), summary: "Switch a symbol between isolated and cross margin."),
        CallSpec(
            "ws_futures_change_position_margin", .rest(.POST, "/fapi/v1/positionMargin"), security: .signed,
            changesState: true,
            parameters: [
                P.symbol, P.positionSide, .required("amount", .decimal),
                .required("type", .integerOneOf([1, 2])),
            ],
            weight: .fixed(1), summary: "Add (type 1) or remove (type 2) isolated margin."),
    ]
}
