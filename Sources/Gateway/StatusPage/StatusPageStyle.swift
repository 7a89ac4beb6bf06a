/// The status page's stylesheet.
enum StatusPageStyle {
    static let css = """
    :root { font: 15px/1.4 system-ui, sans-serif; color: #1d2430; background: #f5f6f8; }
    header { display: flex; gap: 1em; align-items: baseline; padding: 1em 1.5em; background: #1d2430; color: #fff; }
    h1 { font-size: 1.3em; margin: 0; }
    h2 { font-size: 1em; margin: 0 0 .5em; color: #56627a; text-transform: uppercase; letter-spacing: .05em; }
    main { display: grid; grid-template-columns: repeat(auto-fit, minmax(16em, 1fr)); gap: 1em; padding: 1.5em; }
    section { background: #fff; border-radius: 6px; padding: 1em 1.2em; box-shadow: 0 1px 2px #0002; }
    dl { display: grid; grid-template-columns: auto auto; gap: .3em 1em; margin: 0; }
    dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: right; padding: .2em .4em; } th:first-child, td:first-child { text-align: left; }
    .badge { padding: .1em .6em; border-radius: 1em; background: #888; }
    .ready { background: #1f8a4c; } .down { background: #c0392b; }
    #updated { margin-left: auto; font-size: .85em; opacity: .7; }
    """
}
