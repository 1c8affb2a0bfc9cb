#!/usr/bin/env python3
"""Summarises a bench/run.sh results directory: every run of every scenario, per server and ACK
mode, the median, the ratio to the raw reference, the generator's CPU beside each figure, and
the issue's goals that compare servers (S1L, S2, S4, wss).

    python3 bench/summarize.py RESULTS_DIR

It reads RESULTS_DIR/manifest.tsv (server, scenario, ACK mode, run, JSON file), which run.sh
writes, and the switchboard-loadgen JSON of each run.
"""

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

# The figure each scenario is judged by, and which way is better.
HEADLINE = {
    "S1L": ("p99_ms", "lower"),
    "S1": ("p99_ms", "lower"),
    "custom": ("p99_ms", "lower"),
    "S2": ("delivered_per_second", "higher"),
    "wss": ("delivered_per_second", "higher"),
    "S4": ("delivered_per_second", "higher"),
    "REST": ("events_per_second", "higher"),
    "S3": ("kib_per_connection", "lower"),
    "churn": ("connections_per_second", "higher"),
    "soak": ("lost", "lower"),
    "cluster-S1L": ("p99_ms", "lower"),
    "cluster-S2": ("delivered_per_second", "higher"),
}
# Figures shown under the headline (medians).
SECONDARY = {
    "S1L": ["p50_ms", "lost"],
    "S1": ["p50_ms", "lost"],
    "S2": ["p99_ms"],
    "wss": ["p99_ms"],
    "S4": ["p99_ms"],
    "REST": ["delivered_per_second", "ack_p99_ms"],
    "S3": ["connect_seconds", "handshake_p99_ms", "connections"],
    "churn": ["handshake_p99_ms", "cycle_p99_ms", "failed", "rss_growth_percent"],
    "cluster-S1L": ["p50_ms", "lost", "redis_commands_per_publish", "redis_bytes_per_event"],
    "cluster-S2": ["p99_ms", "redis_commands_per_publish", "redis_bytes_per_event"],
    "soak": ["seq_gaps", "rss_drift_percent", "slow_readers_cut", "churned", "jobs_accepted"],
}
BOTTLENECK_PERCENT = 85


def number(value):
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.2f}"


def load(directory):
    runs = []
    manifest = directory / "manifest.tsv"
    if not manifest.exists():
        sys.exit(f"summarize.py: {manifest} is missing")
    for line in manifest.read_text().splitlines():
        server, scenario, acks, run, name = line.split("\t")
        path = directory / name
        try:
            report = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            runs.append(dict(server=server, scenario=scenario, acks=acks, run=int(run),
                             error=f"no result ({error})"))
            continue
        for result in report.get("scenarios", []):
            # A cluster run is named by the manifest (cluster-S1L); its JSON says S1L.
            name = scenario if scenario.startswith("cluster-") else result["name"]
            runs.append(dict(server=server, scenario=name, acks=acks, run=int(run),
                             result=result, error=result.get("error", "")))
    return runs


def loadgen_cell(result):
    loadgen = result.get("loadgen") or {}
    percent = (loadgen.get("cpu") or {}).get("loadgen_percent")
    if percent is None:
        return "-"
    return f"{percent:.0f} %" + ("!" if percent > BOTTLENECK_PERCENT else "")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def figure(run, name):
    if "result" not in run:
        return None
    return run["result"].get("figures", {}).get(name)


def print_scenario(scenario, runs, servers):
    name, better = HEADLINE.get(scenario, (None, None))
    modes = sorted({r["acks"] for r in runs}, key=lambda m: (m != "quick", m))
    medians = {}
    for mode in modes:
        mode_runs = [r for r in runs if r["acks"] == mode]
        count = max(r["run"] for r in mode_runs)
        label = f"{mode} ACKs" + (" (the headline)" if mode == "quick" and len(modes) > 1 else "")
        if name:
            print(f"{scenario}  {name}, {better} is better; {label}")
        else:
            print(f"{scenario}  {label}")
        header = f"  {'server':<12}" + "".join(f"{'run ' + str(k):>12}" for k in range(1, count + 1))
        print(header + f"{'median':>12}{'vs raw':>9}   loadgen per run")
        raw_median = None
        rows = []
        for server in servers:
            server_runs = sorted((r for r in mode_runs if r["server"] == server), key=lambda r: r["run"])
            if not server_runs:
                continue
            values = {r["run"]: figure(r, name) if name else None for r in server_runs}
            m = median(values.values())
            medians[(server, mode)] = m
            if server == "raw":
                raw_median = m
            rows.append((server, server_runs, values, m))
        for server, server_runs, values, m in rows:
            cells = "".join(f"{number(values.get(k)):>12}" for k in range(1, count + 1))
            ratio = f"{m / raw_median:.2f}x" if m is not None and raw_median else "-"
            loads = " ".join(loadgen_cell(r["result"]) if "result" in r else "-" for r in server_runs)
            print(f"  {server:<12}{cells}{number(m):>12}{ratio:>9}   {loads}")
            for extra in SECONDARY.get(scenario, []):
                value = median(figure(r, extra) for r in server_runs)
                if value is not None:
                    print(f"  {'':<12}  {extra}: {number(value)} (median)")
            for r in server_runs:
                if r.get("error"):
                    print(f"  {'':<12}  run {r['run']}: ERROR {r['error']}")
                for note in (r.get("result") or {}).get("notes", []):
                    print(f"  {'':<12}  run {r['run']}: {note}")
                verdict = (r.get("result") or {}).get("target_met")
                if verdict is False:
                    target = r["result"].get("target") or r["result"].get("headline", "")
                    print(f"  {'':<12}  run {r['run']}: target NOT MET ({target})")
        print()
    return medians


def paired_ratios(runs, scenario, mode, name):
    """switchboard / raw for each run k that both have."""
    by_run = defaultdict(dict)
    for r in runs:
        if r["scenario"] == scenario and r["acks"] == mode:
            by_run[r["run"]][r["server"]] = figure(r, name)
    ratios = []
    for k in sorted(by_run):
        pair = by_run[k]
        if pair.get("switchboard") is not None and pair.get("raw"):
            ratios.append((k, pair["switchboard"] / pair["raw"]))
    return ratios


def print_goals(runs, medians):
    lines = []
    modes = sorted({r["acks"] for r in runs}, key=lambda m: (m != "quick", m))
    for mode in modes:
        sb = medians.get(("S1L", "switchboard", mode))
        raw = medians.get(("S1L", "raw", mode))
        node = medians.get(("S1L", "node-ws", mode))
        if sb is not None and (raw is not None or node is not None):
            parts = []
            if node is not None:
                parts.append(f"below node-ws's {number(node)}: {'yes' if sb < node else 'NO'}")
            if raw is not None:
                parts.append(f"within 1.2x raw's {number(raw)} ({sb / raw:.2f}x): "
                             f"{'yes' if sb <= 1.2 * raw else 'NO'}")
            lines.append(f"S1L ({mode}): median p99 {number(sb)} ms; " + "; ".join(parts))
        for scenario, share in (("S2", 0.9), ("S4", 0.5)):
            ratios = paired_ratios(runs, scenario, mode, "delivered_per_second")
            if ratios:
                worst = min(ratio for _, ratio in ratios)
                each = ", ".join(f"run {k} {ratio:.0%}" for k, ratio in ratios)
                lines.append(f"{scenario} ({mode}): switchboard / raw per paired run: {each}; "
                             f">= {share:.0%} in every run: {'yes' if worst >= share else 'NO'}")
        plain = medians.get(("S2", "switchboard", mode))
        tls = medians.get(("wss", "switchboard", mode))
        if plain and tls is not None:
            lines.append(f"wss ({mode}): {number(tls)} delivered/s = {tls / plain:.0%} of plain "
                         f"S2's {number(plain)}; >= 50 %: {'yes' if tls >= 0.5 * plain else 'NO'}")
    if lines:
        print("goals that compare servers")
        for line in lines:
            print("  " + line)
        print()


def print_growth(runs):
    growth = [r for r in runs if r["scenario"].startswith("growth") and "result" in r]
    if not growth:
        return
    print("growth  server RSS and CPU per unit (a fresh server per part)")
    print(f"  {'server':<12}{'cost':<26}{'size':<48}{'RSS B/unit':>12}{'CPU us/unit':>13}{'loadgen':>9}")
    for r in growth:
        for row in r["result"].get("growth", []):
            rss = row.get("rss_bytes_per_unit")
            cpu = row.get("cpu_us_per_unit")
            print(f"  {r['server']:<12}{row['cost']:<26}{row['size']:<48}"
                  f"{number(rss):>12}{number(cpu):>13}{row['loadgen_percent']:>8.0f} %")
    print()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = Path(sys.argv[1])
    runs = load(directory)
    servers = []
    for r in runs:
        if r["server"] not in servers:
            servers.append(r["server"])
    # switchboard first, then raw, then the rest.
    servers.sort(key=lambda s: {"switchboard": 0, "raw": 1}.get(s, 2))
    scenarios = []
    for r in runs:
        if r["scenario"] not in scenarios and not r["scenario"].startswith("growth"):
            scenarios.append(r["scenario"])
    print(f"summary of {directory}  (every run kept; '!' marks a generator above "
          f"{BOTTLENECK_PERCENT} % of its core, where it may be the limit)")
    print()
    medians = {}
    for scenario in scenarios:
        found = print_scenario(scenario, [r for r in runs if r["scenario"] == scenario], servers)
        for (server, mode), value in found.items():
            medians[(scenario, server, mode)] = value
    print_growth(runs)
    print_goals(runs, medians)
    print(f"JSON per run in {directory}; manifest.tsv lists them")


if __name__ == "__main__":
    main()
