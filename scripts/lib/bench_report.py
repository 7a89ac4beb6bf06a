#!/usr/bin/env python3
"""scripts/bench, last step: the table of figures against issue 13's targets, and the plot.

Usage: bench_report.py RESULTS.jsonl SAMPLES_DIR PLOT.png
RESULTS.jsonl holds the JSON lines the measuring steps printed (one object each, by "name")."""
import json
import os
import sys


def load(path):
    runs = {}
    with open(path) as lines:
        for line in lines:
            line = line.strip()
            if line.startswith("{"):
                entry = json.loads(line)
                runs[entry["name"]] = entry
    return runs


def rows(runs):
    """(figure, measured text, target text, met) for each target that was measured."""
    out = []

    def get(name, key):
        return runs.get(name, {}).get(key)

    ws, http = runs.get("bare ws"), runs.get("gateway http")
    if ws and http:
        for p, limit in (("p50", 25), ("p99", 60)):
            added = http[p] - ws[p]
            out.append((f"1. gateway overhead {p} (µs)", f"{added:.0f} ({http[p]:.0f} vs {ws[p]:.0f})",
                        f"<= {limit}", added <= limit))
    sw = runs.get("switches")
    if sw:
        out.append(("1. gateway hand-offs per call, 1 connection (thread switches - 2)",
                    f"{sw['handOffs']:.2f} ({sw['perCall']:.2f} switches)", "<= 1", sw["handOffs"] <= 1))
        if "cpuMicros" in sw:
            # What the overhead cannot go below: the gateway's own CPU time for one call.
            out.append(("1. gateway CPU per call, 1 connection (µs, user + system)",
                        f"{sw['cpuMicros']:.1f}", "report", None))
    for call in ("depth", "order"):
        direct, gateway = runs.get(f"python-binance {call}"), runs.get(f"http.client {call}")
        if direct and gateway:
            ratio = gateway["p50"] / direct["p50"]
            out.append((f"2. {call}: gateway / python-binance p50", f"{ratio:.2f} ({gateway['p50']:.0f} vs {direct['p50']:.0f} µs)",
                        "<= 0.85", ratio <= 0.85))
    tp = runs.get("throughput")
    if tp:
        split = (f"; CPU gateway {tp['gatewayCPU']:.0f} %, simulator {tp['simulatorCPU']:.0f} %, "
                 f"machine {tp['machineCPU']:.0f} % of {tp['cores']} cores; {tp.get('upstreamSockets', '?')} upstream TCP connections")
        out.append(("3. throughput, 64 clients (req/s)", f"{tp['rps']:,.0f} (non-2xx {tp['errors']}){split}",
                    ">= 60,000", tp["rps"] >= 60000 and tp["errors"] == 0))
    def memory(rss):
        return f"{rss['mib']:.1f} (anonymous {rss.get('anonMiB', 0):.1f}, PSS {rss.get('pssMiB', 0):.1f})"

    if get("rss idle", "mib") is not None:
        rss = runs["rss idle"]
        out.append(("4. RSS idle (MiB)", memory(rss), "<= 16", rss["mib"] <= 16))
    if get("rss 10k idle clients", "mib") is not None:
        rss = runs["rss 10k idle clients"]
        out.append((f"4. RSS, {rss['connections']:,} idle keep-alive clients (MiB)", memory(rss),
                    "<= 64", rss["mib"] <= 64 and rss["connections"] >= 10000))
    if get("start-time", "ms") is not None:
        out.append(("4. start -> /readyz 200, --simulate (ms)", f"{runs['start-time']['ms']:.1f} (median of {runs['start-time'].get('runs', 1)})",
                    "<= 100", runs["start-time"]["ms"] <= 100))
    book = runs.get("book read")
    if book:
        out.append(("5. /v1/book read, limit 100, p50 (µs)", f"{book['p50']:.0f} (p99 {book['p99']:.0f})",
                    "<= 30", book["p50"] <= 30))
    fanout = runs.get("fanout")
    if fanout:
        out.append(("5. fan-out, upstream frame to 1,000 subscribers, p99 (µs)",
                    f"{fanout['p99']:.0f} (p50 {fanout['p50']:.0f}; {fanout['count']:,} deliveries)",
                    "<= 1000", fanout["p99"] <= 1000))
    return out


def print_table(table, runs):
    width = max(len(r[0]) for r in table)
    mwidth = max(len(r[1]) for r in table)
    print(f"{'figure':<{width}}  {'measured':<{mwidth}}  {'target':<10}  result")
    for figure, measured, target, met in table:
        verdict = "—" if met is None else "met" if met else "NOT met"
        print(f"{figure:<{width}}  {measured:<{mwidth}}  {target:<10}  {verdict}")
    print()
    print(f"{'latency run':<24} {'count':>7} {'p50':>8} {'p90':>8} {'p99':>8} {'p99.9':>8} {'max':>9}  (µs)")
    for name, run in runs.items():
        if "p50" in run:
            print(f"{name:<24} {run['count']:>7} {run['p50']:>8.1f} {run['p90']:>8.1f} {run['p99']:>8.1f} "
                  f"{run['p999']:>8.1f} {run['max']:>9.1f}")


def plot(samples_dir, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FixedFormatter

    figure, axis = plt.subplots(figsize=(9, 5.5))
    percentiles = [0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99]
    for name in sorted(os.listdir(samples_dir)):
        with open(os.path.join(samples_dir, name)) as lines:
            samples = sorted(float(v) for v in lines if v.strip())
        if not samples:
            continue
        xs, ys = [], []
        n = len(samples)
        for i, value in enumerate(samples):
            q = (i + 1) / n
            if q >= 1:
                break
            xs.append(1 / (1 - q))
            ys.append(value)
        axis.plot(xs, ys, label=f"{name[:-4]} (n={n})", linewidth=1.4)
    ticks = [1 / (1 - p / 100) for p in percentiles]
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.xaxis.set_major_locator(FixedLocator(ticks))
    axis.xaxis.set_major_formatter(FixedFormatter([f"{p:g}%" for p in percentiles]))
    axis.xaxis.set_minor_locator(FixedLocator([]))
    axis.set_xlabel("percentile")
    axis.set_ylabel("round trip (µs, log)")
    axis.set_title("futures-gateway on loopback: sequential round trips, 1 keep-alive connection")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def main():
    results, samples_dir, plot_path = sys.argv[1:4]
    runs = load(results)
    table = rows(runs)
    print_table(table, runs)
    plot(samples_dir, plot_path)
    print(f"\nplot: {plot_path}")


if __name__ == "__main__":
    main()
