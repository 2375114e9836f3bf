#!/usr/bin/env python3
"""Markdown table of a remedy comparison: one row per run directory <config>--<remedy>/ written by
bench/run-remedy-comparison.sh, read from its summary.json and metrics.jsonl (no numbers typed in).

    python3 bench/remedy-table.py runs/remedy-comparison            # one row per run
    python3 bench/remedy-table.py --seeds runs/remedy-comparison    # one row per config and remedy over its seeds
    python3 bench/remedy-table.py --seed 42 runs/remedy-comparison  # one row per run of that seed

With --seeds (directories <config>--<remedy>--seed<S>/ from SEEDS="..." bench/run-remedy-comparison.sh):
  seeds           runs in the cell
  test acc        mean and min-max of results.test_accuracy
  exploded        runs with an explosion or non-finite event (recovered or not)
  failed          runs whose verdict kind is neither healthy nor recovered
  verdicts        count of each verdict kind
  first explosion median iteration of the first explosion / non-finite event, over the runs that had one

Columns (all gradient norms on the mean-loss scale, as the project records them):
  test acc        results.test_accuracy (non-finite predictions count as wrong)
  max |g| raw     largest finite raw global norm over the run (before any remedy)
  max |g| last ep largest finite raw global norm in the last epoch run
  max |g| applied largest finite global norm the optimizer received (after this project's remedy,
                  DL4J's division by k and DL4J's GradientNormalization)
  non-finite      steps whose raw gradient held NaN/Inf
  skipped         steps dropped by skipNonFinite or spike skipping (results.skipped_steps when present)
  clipped         fraction of steps where a rule changed the gradient
  verdict, first event, events   the detector's verdict: kind, first iteration, every event kind@iteration
"""
import json
import math
import sys
from pathlib import Path


def num(x):
    if isinstance(x, str):
        return float(x)          # "NaN", "Infinity", "-Infinity"
    return float("nan") if x is None else float(x)


def fmt(x, digits=3):
    return "NaN" if math.isnan(x) else f"{x:.{digits}g}"


def row(run_dir):
    config, remedy = run_dir.name.split("--", 1)
    remedy = remedy.split("--seed", 1)[0]
    summary = json.loads((run_dir / "summary.json").read_text())
    results = summary.get("results")
    if results is None:
        return f"| {config} | {remedy} | (did not finish) | | | | | | | | | |"
    metrics = [json.loads(l) for l in (run_dir / "metrics.jsonl").read_text().splitlines() if l.strip()]
    raw = [num(m["grad_l2_global"]) for m in metrics]
    applied = [num(m["grad_l2_global_clipped"]) for m in metrics]
    last_epoch = max(m["epoch"] for m in metrics)
    raw_last = [num(m["grad_l2_global"]) for m in metrics if m["epoch"] == last_epoch]
    finite_max = lambda xs: max((x for x in xs if math.isfinite(x)), default=float("nan"))
    nonfinite = sum(1 for m in metrics if m["grad_nonfinite"] > 0)
    skipped = results.get("skipped_steps", sum(1 for m in metrics if m["skipped"]))
    clipped = sum(1 for m in metrics if m["clipped"]) / len(metrics)
    v = summary["verdict"]
    events = " ".join(f'{e["kind"]}@{e["iteration"]}' for e in v["events"]) or "-"
    first = "-" if v["first_iteration"] is None else str(v["first_iteration"])
    acc = f'{num(results["test_accuracy"]):.4f}'
    if results.get("stopped_early"):
        acc += f' (stopped at iteration {results["iterations"]})'
    return (f"| {config} | {remedy} | {acc} | {fmt(finite_max(raw))} | {fmt(finite_max(raw_last))} | "
            f"{fmt(finite_max(applied))} | {nonfinite} | {skipped} | {clipped:.2f} | {v['kind']} | {first} | {events} |")


def seed_cells(root):
    cells = {}
    for d in Path(root).iterdir():
        if not (d / "summary.json").is_file() or "--seed" not in d.name:
            continue
        config, rest = d.name.split("--", 1)
        remedy = rest.rsplit("--seed", 1)[0]
        cells.setdefault((config, remedy), []).append(json.loads((d / "summary.json").read_text()))
    return cells


def seeds_main(root, order):
    print("| config | remedy | seeds | test acc: mean [min–max] | exploded | failed | verdicts | first explosion (median) |")
    print("|---|---|---:|---|---:|---:|---|---:|")
    cells = seed_cells(root)
    rank = lambda k: (k[0], order.index(k[1]) if k[1] in order else 99)
    for key in sorted(cells, key=rank):
        runs = [r for r in cells[key] if r.get("results")]
        if not runs:
            print(f"| {key[0]} | {key[1]} | 0 | (no finished run) | | | | |")
            continue
        accs = [num(r["results"]["test_accuracy"]) for r in runs]
        blow = [r for r in runs if any(e["kind"] in ("explosion", "nonfinite") for e in r["verdict"]["events"])]
        failed = [r for r in runs if r["verdict"]["kind"] not in ("healthy", "recovered")]
        kinds = {}
        for r in runs:
            kinds[r["verdict"]["kind"]] = kinds.get(r["verdict"]["kind"], 0) + 1
        firsts = sorted(min(e["iteration"] for e in r["verdict"]["events"] if e["kind"] in ("explosion", "nonfinite"))
                        for r in blow)
        med = "-" if not firsts else (str(firsts[len(firsts) // 2]) if len(firsts) % 2 else
                                      f"{(firsts[len(firsts) // 2 - 1] + firsts[len(firsts) // 2]) / 2:g}")
        kind_text = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        print(f"| {key[0]} | {key[1]} | {len(runs)} | {sum(accs) / len(accs):.4f} [{min(accs):.4f}–{max(accs):.4f}] | "
              f"{len(blow)} | {len(failed)} | {kind_text} | {med} |")


def main(root, seed=None):
    dirs = sorted(d for d in Path(root).iterdir() if (d / "summary.json").is_file()
                  and (seed is None or d.name.endswith(f"--seed{seed}")))
    print("| config | remedy | test acc | max \\|g\\| raw | max \\|g\\| last epoch | max \\|g\\| applied "
          "| non-finite steps | skipped | clipped | verdict | first event | events |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    order = ["none", "dl4j-RenormalizeL2PerLayer", "dl4j-RenormalizeL2PerParamType",
             "dl4j-ClipElementWiseAbsoluteValue-0.1", "dl4j-ClipL2PerLayer-1.0", "dl4j-ClipL2PerParamType-1.0",
             "global_l2-1.0", "agc-0.01", "autoclip-p10", "zclip", "skipNonFinite", "spike-skip"]
    remedy_of = lambda d: d.name.split("--", 1)[1].split("--seed", 1)[0]
    rank = lambda d: (d.name.split("--")[0], order.index(remedy_of(d)) if remedy_of(d) in order else 99)
    for d in sorted(dirs, key=rank):
        print(row(d))


ORDER = ["none", "dl4j-RenormalizeL2PerLayer", "dl4j-RenormalizeL2PerParamType",
         "dl4j-ClipElementWiseAbsoluteValue-0.1", "dl4j-ClipL2PerLayer-1.0", "dl4j-ClipL2PerParamType-1.0",
         "global_l2-1.0", "agc-0.01", "autoclip-p10", "zclip", "skipNonFinite", "spike-skip"]

if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--seeds":
        seeds_main(args[1] if len(args) > 1 else "runs/remedy-comparison", ORDER)
    elif args and args[0] == "--seed":
        main(args[2] if len(args) > 2 else "runs/remedy-comparison", args[1])
    else:
        main(args[0] if args else "runs/remedy-comparison")
