#!/usr/bin/env python3
"""Tables of a preset sweep over seeds (bench/run-preset-sweep.sh): <root>/seed<S>/<preset>/summary.json.

    python3 bench/preset-table.py runs/preset-sweep

Prints, from the runs' own summary.json files (no number typed in):
  1. one row per preset over its seeds: test accuracy mean [min-max], verdict kinds, runs with an
     explosion or non-finite event, recovered ones, and the median iteration of the first explosion;
  2. the checks of the verdict against the outcome: runs below 0.5 test accuracy judged healthy, and
     runs above 0.9 carrying an explosion not marked recovered (both lists should be empty).
"""
import json
import sys
from pathlib import Path


def load(root):
    runs = {}
    for seed_dir in sorted(Path(root).glob("seed*")):
        if not seed_dir.is_dir():
            continue
        seed = seed_dir.name[4:]
        for d in seed_dir.iterdir():
            f = d / "summary.json"
            if f.is_file():
                s = json.loads(f.read_text())
                if s.get("results"):
                    runs.setdefault(d.name, []).append((seed, s))
    return runs


def order(root):
    index = Path(__file__).resolve().parent.parent / "src/main/resources/presets/index.txt"
    names = [l.strip() for l in index.read_text().splitlines() if l.strip() and not l.startswith("#")]
    return {n: i for i, n in enumerate(names)}


def main(root):
    runs = load(root)
    rank = order(root)
    print("| preset | seeds | test acc: mean [min–max] | verdicts | exploded | recovered | first explosion (median) |")
    print("|---|---:|---|---|---:|---:|---:|")
    wrong_healthy, wrong_explosion = [], []
    for name in sorted(runs, key=lambda n: rank.get(n, 999)):
        rs = runs[name]
        accs = [s["results"]["test_accuracy"] for _, s in rs]
        kinds = {}
        exploded = recovered = 0
        firsts = []
        for seed, s in rs:
            v = s["verdict"]
            kinds[v["kind"]] = kinds.get(v["kind"], 0) + 1
            blow = [e for e in v["events"] if e["kind"] in ("explosion", "nonfinite")]
            if blow:
                exploded += 1
                firsts.append(min(e["iteration"] for e in blow))
            if v["kind"] == "recovered":
                recovered += 1
            acc = s["results"]["test_accuracy"]
            if acc < 0.5 and v["kind"] == "healthy":
                wrong_healthy.append(f"{name} seed {seed} ({acc:.4f})")
            if acc > 0.9 and any(e["kind"] == "explosion" and e.get("recovered_at") is None for e in v["events"]):
                wrong_explosion.append(f"{name} seed {seed} ({acc:.4f})")
        firsts.sort()
        med = "-" if not firsts else (str(firsts[len(firsts) // 2]) if len(firsts) % 2
                                      else f"{(firsts[len(firsts) // 2 - 1] + firsts[len(firsts) // 2]) / 2:g}")
        kind_text = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        print(f"| {name} | {len(rs)} | {sum(accs) / len(accs):.4f} [{min(accs):.4f}–{max(accs):.4f}] | {kind_text} | "
              f"{exploded} | {recovered} | {med} |")
    print()
    print("Runs below 0.5 test accuracy judged healthy: " + (", ".join(wrong_healthy) or "none") + ".")
    print("Runs above 0.9 with an explosion not marked recovered: " + (", ".join(wrong_explosion) or "none") + ".")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/preset-sweep")
