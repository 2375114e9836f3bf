#!/usr/bin/env python3
"""Summarise bench/verdict-table.csv (written by org.explosionlab.bench.VerdictTable) as the Markdown tables of
bench/verdict-table.md: one row per preset, one column per run length, each cell the verdicts of the seeds and
their test accuracies; then the checks the issue asks for (no failed run called healthy, the healthy presets
healthy at every length)."""
import csv
import sys
from collections import OrderedDict

rows = list(csv.DictReader(open(sys.argv[1] if len(sys.argv) > 1 else "bench/verdict-table.csv")))
print("# Verdicts of every preset after 1, 2 and 5 epochs, 3 seeds each\n")
print("Written by `bench/run-verdict-table.sh` (`org.explosionlab.bench.VerdictTable`: one fresh `Trainer` run per cell, "
      "as `train --preset P --epochs E --set seed=S` runs it, embedded MNIST, `OMP_NUM_THREADS=1`; seeds 42, 43, 44 "
      "for every preset but those with their own seed). Each cell: the verdict of each seed and its test accuracy. "
      "The raw rows (deciding event, its iteration and layer, seconds) are in `verdict-table.csv`.\n")
table = OrderedDict()
for r in rows:
    key = (r["preset"], r["set"])
    table.setdefault(key, {}).setdefault(int(r["epochs"]), []).append(r)
lengths = sorted({int(r["epochs"]) for r in rows})
print("| preset | " + " | ".join(f"{e} epoch{'s' if e > 1 else ''}" for e in lengths) + " |")
print("|---|" + "---|" * len(lengths))
for (preset, extra), by_len in table.items():
    cells = []
    for e in lengths:
        runs = by_len.get(e, [])
        cells.append("<br>".join(f"{r['kind']} {float(r['test_accuracy']):.3f}" for r in runs))
    name = preset + (f" `{extra}`" if extra else "")
    print(f"| {name} | " + " | ".join(cells) + " |")
print()
healthy = [r for r in rows if r["kind"] == "healthy"]
low = [r for r in healthy if float(r["test_accuracy"]) < 0.7]
print(f"- runs: {len(rows)}; judged healthy: {len(healthy)}; lowest test accuracy of a healthy run: "
      f"{min(float(r['test_accuracy']) for r in healthy):.4f}" if healthy else "- no healthy run")
print(f"- healthy runs below 0.7 test accuracy: {len(low)}" + (" (" + ", ".join(
    f"{r['preset']} {r['epochs']} ep seed {r['seed']}: {float(r['test_accuracy']):.3f}" for r in low) + ")" if low else ""))
failed = [r for r in rows if float(r["test_accuracy"]) < 0.5]
print(f"- runs below 0.5 test accuracy: {len(failed)}, of which judged healthy: "
      f"{sum(1 for r in failed if r['kind'] == 'healthy')}")
if len(sys.argv) > 2:
    extra = list(csv.DictReader(open(sys.argv[2])))
    print("\n## Run length and batch size (seed 42; `verdict-lengths.csv`)\n")
    print("| preset | batch size | 1 epoch | 20 epochs |\n|---|---:|---|---|")
    cells = OrderedDict()
    for r in extra:
        cells.setdefault((r["preset"], r["set"].replace("batchSize=", "")), {})[r["epochs"]] = f"{r['kind']} {float(r['test_accuracy']):.3f}"
    for (preset, batch), by in cells.items():
        print(f"| {preset} | {batch} | {by.get('1', '')} | {by.get('20', '')} |")
    print(f"\n- healthy: {sum(1 for r in extra if r['kind'] == 'healthy')} of {len(extra)}")
print()
for p in ("seed-baseline", "bad-init-he-init"):
    sel = [r for r in rows if r["preset"] == p]
    if sel:
        print(f"- {p}: {sum(1 for r in sel if r['kind'] == 'healthy')} of {len(sel)} healthy")
