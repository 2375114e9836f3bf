#!/usr/bin/env python3
"""Writes bench/RESULTS.md from one bench/run-all.sh run (its directory target/bench-run) and prints its table.

usage: results.py RUN_DIR DEST.md STARTED SMOKE(0|1)
"""
import glob, json, os, re, statistics, sys

run, dest, started, smoke = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"


ALLOC = {}   # (file, params) -> Java heap bytes allocated per minibatch (JMH -prof gc, gc.alloc.rate.norm)


def jmh(path):
    """{(param tuple): (score µs/op, error)} of one JMH JSON result file."""
    rows = {}
    for r in json.load(open(path)):
        key = tuple(sorted(r.get("params", {}).items()))
        m = r["primaryMetric"]
        err = m.get("scoreError")
        rows[key] = (float(m["score"]), float(err) if isinstance(err, (int, float)) and err == err else 0.0)   # "NaN" with 1 iteration
        norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm") or r.get("secondaryMetrics", {}).get("·gc.alloc.rate.norm")
        if norm:
            ALLOC[(os.path.basename(path), key)] = float(norm["score"])
    return rows


def fmt(x, d=0):
    return f"{x:,.{d}f}"


lines = []
add = lines.append
fit = jmh(f"{run}/fit.json")
add("### DL4J `net.fit(minibatch)` of the seed model, with and without listeners (JMH, µs per minibatch)\n")
add("| batch | no listener | monitor every iteration | monitor every 10th | DL4J StatsListener | monitor / none | monitor-10 / none | stats / none |")
add("|---:|---:|---:|---:|---:|---:|---:|---:|")
for b in ("32", "128"):
    g = {l: fit.get((("batch", b), ("listener", l))) for l in ("none", "monitor", "monitor-10", "stats")}
    if not g["none"]:
        continue
    cell = lambda v: f"{fmt(v[0])} ± {fmt(v[1])}" if v else "-"
    ratio = lambda v: f"{v[0] / g['none'][0]:.3f}" if v else "-"
    add(f"| {b} | {cell(g['none'])} | {cell(g['monitor'])} | {cell(g['monitor-10'])} | {cell(g['stats'])} | "
        f"{ratio(g['monitor'])} | {ratio(g['monitor-10'])} | {ratio(g['stats'])} |")

add("\nJava heap allocated per minibatch (JMH `-prof gc`, bytes; ND4J's arrays are off-heap and not counted):\n")
add("| batch | no listener | monitor every iteration | monitor every 10th | DL4J StatsListener | monitor − none |")
add("|---:|---:|---:|---:|---:|---:|")
for b in ("32", "128"):
    a = {l: ALLOC.get(("fit.json", (("batch", b), ("listener", l)))) for l in ("none", "monitor", "monitor-10", "stats")}
    if a["none"] is None:
        continue
    c = lambda v: fmt(v) if v is not None else "-"
    add(f"| {b} | {c(a['none'])} | {c(a['monitor'])} | {c(a['monitor-10'])} | {c(a['stats'])} | "
        f"{c(a['monitor'] - a['none']) if a['monitor'] is not None else '-'} |")

paired = []
for f in sorted(glob.glob(f"{run}/paired-r*-none.json")):
    m = f.replace("-none.json", "-monitor.json")
    if os.path.exists(m):
        none = list(jmh(f).values())[0][0]
        mon = list(jmh(m).values())[0][0]
        paired.append(mon / none)
if paired:
    add(f"\nMonitor every iteration over no listener at batch 32, {len(paired)} rotation-paired JMH rounds (a fork each): "
        + ", ".join(f"{p:.3f}" for p in paired) + f"; median **{statistics.median(paired):.3f}** (goal ≤ 1.02).")

settings = jmh(f"{run}/settings.json")
add("\n### The project's DL4J settings against DL4J's defaults (JMH, batch 32, µs per minibatch)\n")
add("| settings | µs per minibatch | speed vs dl4j-defaults |")
add("|---|---:|---:|")
base = settings.get((("batch", "32"), ("settings", "dl4j-defaults")))
project_us = None
for s in ("dl4j-defaults", "project", "dl4j-defaults-1t", "project-ws-none"):
    v = settings.get((("batch", "32"), ("settings", s)))
    if v:
        if s == "project":
            project_us = v[0]
        add(f"| {s} | {fmt(v[0])} ± {fmt(v[1])} | {base[0] / v[0]:.2f}× |" if base else f"| {s} | {fmt(v[0])} | - |")

add("\n### References: the same MLP in numpy and PyTorch (1 thread, examples per second)\n")
add("| batch | DL4J, project settings (JMH fit, no listener) | numpy | PyTorch CPU | DL4J / PyTorch |")
add("|---:|---:|---:|---:|---:|")
py = open(f"{run}/python.txt").read()
for b in ("32", "128"):
    none = fit.get((("batch", b), ("listener", "none")))
    dl4j = int(b) / (none[0] * 1e-6) if none else None
    np_ = re.search(rf"numpy-reference batch={b} .*?examples_per_s=(\d+)", py)
    th = re.search(rf"torch-reference batch={b} .*?examples_per_s=(\d+)", py)
    tv = float(th.group(1)) if th else None
    add(f"| {b} | {fmt(dl4j) if dl4j else '-'} | {np_.group(1) if np_ else '-'} | {fmt(tv) if tv else 'not installed'} | "
        f"{f'{dl4j / tv:.2f}' if dl4j and tv else '-'} |")

for name, title in (("pair", "One training (`train --preset seed-baseline`) alone against two at once"),
                    ("sweep", "`sweep` of 8 points (seed-baseline × 4 learning rates × 2 seeds), `--workers 1` vs `--workers 2`"),
                    ("spark", "The same sweep through `--spark-master local[1]` vs `local[2]`")):
    add(f"\n### {title}\n")
    add(open(f"{run}/{name}.md").read().rstrip())

env = open(f"{run}/env.txt").read().strip()
table = "\n".join(lines)
print(table)
head = ["# Benchmark results" + (" (SMOKE RUN: tiny settings, the figures mean nothing)" if smoke else ""), "",
        f"Written by `bench/run-all.sh` (started {started}); every figure below comes from that one run.", "", "```", env, "```", "",
        "Commands (all in `bench/run-all.sh`): JMH 1.37 `org.explosionlab.bench.FitBenchmark` and `SettingsBenchmark` "
        "(src/bench/java, `mvn -Pbench test-compile`) with `-jvmArgsAppend \"$jvm.flags\"`; `bench/numpy_mlp_reference.py` and "
        "`bench/torch_mlp_reference.py data/mnist --threads 1`; `bench/concurrency.sh pair|sweep|spark` (rotation-paired rounds).",
        "", "Targets (issue 27): two concurrent trainings ≤ 1.15× one alone; one training alone not slower than with the JVM's defaults "
        "(±5 %); `sweep --workers 2` ≥ 1.8× `--workers 1` with bit-identical results; Spark `local[2]` ≥ 1.6× `local[1]`; "
        "monitor every iteration ≤ 2 % over `net.fit`; DL4J ≥ 0.5× PyTorch CPU at batch 32.", ""]
with open(dest, "w") as f:
    f.write("\n".join(head) + "\n" + table + "\n")
