#!/usr/bin/env python3
"""Scores the early warnings of the lead-time corpus (bench/run-lead-time.sh, org.explosionlab.bench.LeadTimeCorpus).

usage: lead-time.py RUNS_DIR OUT.md OUT_RUNS.csv OUT.png

Onset of a run: the first recorded iteration whose loss exceeds 3x the median of the previous 20 recorded losses
(at least 10 of them), or whose loss is non-finite. A run with an onset is an exploding run; a healthy run is one of
the 'healthy' group (seed-baseline, bad-init-he-init). A warning "predicts" the onset when it is raised in the
HORIZON iterations before it; the lead time is onset minus the earliest such warning. Warnings come from each run's
summary.json (verdict.warnings, the monitor's own WarningRule with its default thresholds).
"""
import csv
import json
import math
import os
import statistics
import sys

HORIZON = 50
WINDOW = 20
MIN_HISTORY = 10
FACTOR = 3.0
SIGNALS = ["sharpness", "update_rms", "update_cos", "grad_norm_spike"]


def rows_of(run_dir):
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        return [json.loads(l) for l in f if l.strip()]


def num(x):
    if isinstance(x, str):
        return float(x)          # "NaN", "Infinity"
    return float("nan") if x is None else float(x)


def onset_of(rows):
    losses = []
    for r in rows:
        loss = num(r["loss"])
        it = r["iteration"]
        if not math.isfinite(loss):
            return it
        if len(losses) >= MIN_HISTORY and loss > FACTOR * statistics.median(losses[-WINDOW:]):
            return it
        losses.append(loss)
    return None


def figure_of(row, key):
    if key == "sharpness_ratio":
        if row.get("sharpness") is None or not row.get("sharpness_limit"):
            return None
        return num(row["sharpness"]) / num(row["sharpness_limit"])
    return None if row.get(key) is None else num(row[key])


def replay(rows, key, line, rearm=50):
    """Iterations where the figure crosses the line: on the safe side at its previous measurement, re-armed after rearm."""
    out = []
    above = False
    last = None
    for r in rows:
        v = figure_of(r, key)
        if v is None:
            continue
        crossed = v >= line
        if crossed and not above and (last is None or r["iteration"] - last >= rearm):
            out.append(r["iteration"])
            last = r["iteration"]
        above = crossed
    return out


ADAM_SHARPNESS_WARMUP = 20   # WarningRule.ADAM_SHARPNESS_WARMUP


def adam_warmed_up(warnings, rows):
    """The sharpness warnings the current WarningRule gives an Adam run: the same crossing-and-re-arm rule, replayed on
    the recorded figures from iteration ADAM_SHARPNESS_WARMUP on (runs recorded before the warm-up was added warned from
    iteration 0). The other signals' warnings are kept as recorded."""
    kept = [w for w in warnings if w["signal"] != "sharpness"]
    later = [r for r in rows if r["iteration"] >= ADAM_SHARPNESS_WARMUP]
    kept += [dict(iteration=i, signal="sharpness") for i in replay(later, "sharpness_ratio", 1.0)]
    return sorted(kept, key=lambda w: w["iteration"])


def pct(values, q):
    """numpy's default (linear) percentile."""
    v = sorted(values)
    if not v:
        return None
    pos = (len(v) - 1) * q / 100
    lo = math.floor(pos)
    hi = math.ceil(pos)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def main():
    runs_dir, out_md, out_csv, out_png = sys.argv[1:5]
    with open(os.path.join(runs_dir, "corpus.csv")) as f:
        corpus = list(csv.DictReader(f))
    runs = []
    for c in corpus:
        d = os.path.join(runs_dir, "runs", c["id"])
        rows = rows_of(d)
        with open(os.path.join(d, "summary.json")) as f:
            summary = json.load(f)
        warnings = summary["verdict"].get("warnings", [])
        if c["updater"].lower().startswith("adam"):
            warnings = adam_warmed_up(warnings, rows)
        onset = onset_of(rows)
        run = dict(id=c["id"], group=c["group"], preset=c["preset"], updater=c["updater"], lr=c["lr"], seed=c["seed"],
                   batch=c["batch"], kind=c["kind"], iterations=len(rows), onset=onset, warnings=warnings, rows=rows)
        runs.append(run)

    def predicted(run, signal):
        """(lead, first warning iteration) of the earliest warning of signal (None = any) in the horizon before onset."""
        ws = [w["iteration"] for w in run["warnings"] if (signal is None or w["signal"] == signal)
              and run["onset"] - HORIZON <= w["iteration"] < run["onset"]]
        return (run["onset"] - min(ws), min(ws)) if ws else (None, None)

    exploding = [r for r in runs if r["onset"] is not None and r["group"] != "healthy"]
    healthy = [r for r in runs if r["group"] == "healthy"]
    healthy_with_onset = [r for r in healthy if r["onset"] is not None]
    no_onset = [r for r in runs if r["onset"] is None and r["group"] != "healthy"]

    # cost
    cost = {}
    cost_file = os.path.join(runs_dir, "cost.csv")
    if os.path.exists(cost_file):
        with open(cost_file) as f:
            for row in csv.DictReader(f):
                cost.setdefault(row["setting"], []).append((float(row["ms_per_iteration"]), float(row["ratio_to_monitor_without_instruments"])))
    sharp_setting = next((k for k in cost if k.startswith("instruments_sharpness_every_") and not k.endswith("_1")), None)

    def cost_of(signal):
        if not cost:
            return "n/a"
        key = sharp_setting if signal == "sharpness" else "instruments"
        if signal is None:
            key = sharp_setting
        ratios = [r for _, r in cost.get(key, [])]
        return "+%.0f %%" % (100 * (statistics.median(ratios) - 1)) if ratios else "n/a"

    lines = []
    table = []
    for signal in SIGNALS + [None]:
        leads = [predicted(r, signal)[0] for r in exploding]
        hits = [l for l in leads if l is not None]
        any_before = sum(1 for r in exploding if any((signal is None or w["signal"] == signal) and w["iteration"] < r["onset"]
                                                   for w in r["warnings"]))
        h_runs = sum(1 for r in healthy if any(signal is None or w["signal"] == signal for w in r["warnings"]))
        h_count = sum(1 for r in healthy for w in r["warnings"] if signal is None or w["signal"] == signal)
        h_iters = sum(r["iterations"] for r in healthy)
        table.append(dict(signal=signal or "combined (any signal)", recall=len(hits) / len(exploding) if exploding else float("nan"),
                          hits=len(hits), n=len(exploding), any_before=any_before,
                          median=statistics.median(hits) if hits else None, p10=pct(hits, 10),
                          h_runs=h_runs, h_n=len(healthy), per_k=1000 * h_count / h_iters if h_iters else float("nan"),
                          cost=cost_of(signal)))

    groups = {}
    for r in runs:
        g = groups.setdefault(r["group"], [0, 0])
        g[0] += 1
        g[1] += r["onset"] is not None

    md = []
    md.append("# Early warning: lead time before the loss shows an explosion\n")
    md.append("Written by `bench/run-lead-time.sh` (`org.explosionlab.bench.LeadTimeCorpus`, then `bench/lead-time.py`): "
              "fresh `Trainer` runs on the embedded MNIST, `OMP_NUM_THREADS=1`, every instrument on, the directional "
              "sharpness every %s iterations, the monitor's default `WarningRule` thresholds "
              "(sharpness ≥ 1.0 × its limit, update RMS ≥ 5, spike score ≥ 7σ, cosine off; one warning per crossing, "
              "re-armed after 50 iterations). Exploding presets and ladders: 2 epochs (500 iterations at batch 32). Healthy "
              "runs: 20 epochs of at most 50 minibatches each (1,000 iterations; full 20-epoch runs are 5,000 iterations "
              "at batch 32, too slow for this shared 2-core machine). Per-run rows: `bench/lead-time-runs.csv`.\n"
              % (sharp_setting.rsplit("_", 1)[1] if sharp_setting else "k"))
    def rungs(group):
        return ", ".join("%g" % x for x in sorted({float(r["lr"]) for r in runs if r["group"] == group}))
    md.append("Learning-rate ladders on the seed model: SGD at %s; Adam at %s (each rung 5 seeds). The rungs 0.4 (SGD) "
              "and 0.07 (Adam) were added after a first pass found 57 runs with an onset, short of the 60 the issue asks "
              "for; no warning line was changed.\n" % (rungs("ladder-sgd"), rungs("ladder-adam")))
    md.append("**Onset**: the first iteration whose minibatch loss exceeds %g× the median of the previous %d (at least %d), "
              "or is non-finite. **Recall**: exploding runs with a warning in the %d iterations before the onset. "
              "**Lead**: onset − that warning's iteration. **False alarms**: healthy runs with any warning, and warnings "
              "per 1,000 healthy iterations. **Cost**: median training-thread CPU time per iteration against the "
              "monitor without the instruments (seed-baseline, 250 minibatches, interleaved repeats in one JVM; CPU time, "
              "not wall time, because other jobs shared the machine).\n" % (FACTOR, WINDOW, MIN_HISTORY, HORIZON))
    md.append("## Corpus\n")
    md.append("| group | runs | with an onset |\n|---|---|---|")
    for g, (n, o) in groups.items():
        md.append("| %s | %d | %d |" % (g, n, o))
    md.append("\n%d exploding runs (an onset, outside the healthy group), %d healthy runs (%d of them with an onset), "
              "%d runs of the exploding presets and ladders without an onset (not scored).\n"
              % (len(exploding), len(healthy), len(healthy_with_onset), len(no_onset)))
    adam = sum(1 for r in exploding if r["updater"] == "ADAM")
    md.append("## Per signal and combined\n")
    md.append("The update RMS exists only for Adam: %d of the %d exploding runs use it. The cosine is 1 for plain SGD "
              "by construction (its line is off by default). An Adam run's sharpness is not judged before iteration %d "
              "(WarningRule.ADAM_SHARPNESS_WARMUP): its sharpness warnings are the rule replayed on the recorded figures from "
              "there on (the replay reproduces every run's recorded warnings exactly without the warm-up).\n"
              % (adam, len(exploding), ADAM_SHARPNESS_WARMUP))
    md.append("| signal | recall (warned ≤ %d it. before onset) | warned any time before onset | median lead | 10th pct lead | healthy runs warned | warnings / 1,000 healthy it. | cost / iteration |" % HORIZON)
    md.append("|---|---|---|---|---|---|---|---|")
    for t in table:
        md.append("| %s | %d / %d (%.0f %%) | %d | %s | %s | %d / %d | %.2f | %s |" % (
            t["signal"], t["hits"], t["n"], 100 * t["recall"], t["any_before"],
            "—" if t["median"] is None else "%g" % t["median"], "—" if t["p10"] is None else "%.1f" % t["p10"],
            t["h_runs"], t["h_n"], t["per_k"], t["cost"]))
    if cost:
        md.append("\nCost per iteration (ms, median of the repeats; seed-baseline, batch 32):\n")
        md.append("| setting | ms / iteration | × monitor without instruments |\n|---|---|---|")
        for k, v in cost.items():
            md.append("| %s | %.2f | %.2f |" % (k, statistics.median(x for x, _ in v), statistics.median(r for _, r in v)))
    md.append("\n## What if: other lines for the sharpness and the spike score\n")
    md.append("The same crossing-and-re-arm rule replayed offline on the recorded figures (metrics.jsonl), only the line "
              "changed. Not used to pick the defaults: it shows whether any line separates the exploding runs from the "
              "healthy ones on this MLP.\n")
    md.append("| signal ≥ line | recall (≤ %d it. before onset) | median lead | 10th pct lead | healthy runs warned | warnings / 1,000 healthy it. |" % HORIZON)
    md.append("|---|---|---|---|---|---|")
    for label, key, lines in [("sharpness ÷ limit", "sharpness_ratio", [1, 2, 4, 8]), ("spike score", "grad_norm_z", [3, 4, 5, 7]),
                              ("update RMS", "update_rms", [1.0, 1.2, 1.5, 2])]:
        for line in lines:
            hits = []
            for r in exploding:
                ws = replay(r["rows"], key, line)
                ws = [w for w in ws if r["onset"] - HORIZON <= w < r["onset"]]
                if ws:
                    hits.append(r["onset"] - min(ws))
            h = [replay(r["rows"], key, line) for r in healthy]
            h_iters = sum(r["iterations"] for r in healthy)
            md.append("| %s ≥ %g | %d / %d (%.0f %%) | %s | %s | %d / %d | %.2f |" % (
                label, line, len(hits), len(exploding), 100 * len(hits) / len(exploding),
                "—" if not hits else "%g" % statistics.median(hits), "—" if not hits else "%.1f" % pct(hits, 10),
                sum(1 for x in h if x), len(healthy), 1000 * sum(len(x) for x in h) / h_iters))

    md.append("\n## Onsets by group\n")
    md.append("| group | onset iterations (median, min–max) | onsets before iteration 20 |\n|---|---|---|")
    for g in groups:
        os_ = [r["onset"] for r in runs if r["group"] == g and r["onset"] is not None]
        if os_:
            md.append("| %s | %g (%d–%d) | %d |" % (g, statistics.median(os_), min(os_), max(os_), sum(1 for o in os_ if o < 20)))
    comb = table[-1]
    badinit = [r for r in runs if r["preset"].startswith("bad-init") and r["group"] != "healthy"]
    md.append("\n## Findings\n")
    md.append("- **Goal** (median lead ≥ 8, recall ≥ 90 %%, no warning on a healthy run): median lead %s, recall %.0f %%, "
              "%d of %d healthy runs warned — not met; the lead is long enough, the recall and the false alarms are not."
              % (comb["median"], 100 * comb["recall"], comb["h_runs"], comb["h_n"]))
    md.append("- **Only the sharpness moves first.** Update RMS, spike score and cosine gave no warning before any "
              "onset at their default lines, and no line in the what-if table separates exploding from healthy runs.")
    md.append("- **The sharpness sits at the edge of stability in healthy SGD runs** too (He init, SGD 0.1: 2/η = 20): "
              "every healthy run it warned on is one of those. Cohen et al. describe exactly this: gradient descent "
              "trains at sharpness ≈ 2/η. On this MLP the crossing says the learning rate is at its limit, not that a "
              "spike follows within k steps.")
    md.append("- **The onset rule is not specific.** %d of %d healthy runs have an onset: late in training a minibatch "
              "loss a little harder than usual is already 3× a small trailing median. And %d of the %d bad-init-family runs have none: "
              "their loss is high from the first step, so it never jumps 3× over its own median."
              % (len(healthy_with_onset), len(healthy), sum(1 for r in badinit if r["onset"] is None), len(badinit)))
    md.append("- **Corpus size.** %d runs with an onset (%s the 60 asked for), %d healthy runs (%s the 20 asked for)."
              % (len(exploding), "at least" if len(exploding) >= 60 else "short of",
                 len(healthy), "at least" if len(healthy) >= 20 else "short of"))
    with open(out_md, "w") as f:
        f.write("\n".join(md) + "\n")

    with open(out_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "group", "preset", "updater", "lr", "seed", "batch", "kind", "iterations", "onset"]
                   + ["lead_" + s for s in SIGNALS] + ["lead_combined", "warnings", "first_warning", "first_signal"])
        for r in runs:
            first = min(r["warnings"], key=lambda x: x["iteration"]) if r["warnings"] else None
            leads = [predicted(r, s)[0] if r["onset"] is not None else None for s in SIGNALS + [None]]
            w.writerow([r["id"], r["group"], r["preset"], r["updater"], r["lr"], r["seed"], r["batch"], r["kind"], r["iterations"],
                        "" if r["onset"] is None else r["onset"]] + ["" if l is None else l for l in leads]
                       + [len(r["warnings"]), "" if first is None else first["iteration"], "" if first is None else first["signal"]])
    figure(runs, out_png)
    print("\n".join(md))


def figure(runs, out_png):
    """Loss, warnings and onset of one high-lr run: seed 43 (walkthrough W7's), else the one with the largest lead."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    cands = [r for r in runs if r["preset"] == "high-lr" and r["onset"] is not None]
    if not cands:
        return
    def key(r):
        ws = [w["iteration"] for w in r["warnings"] if r["onset"] - HORIZON <= w["iteration"] < r["onset"]]
        return (r["onset"] - min(ws) if ws else -1, r["onset"])
    seed43 = [r for r in cands if r["seed"] == "43"]
    run = seed43[0] if seed43 else max(cands, key=key)
    rows = run["rows"]
    it = [r["iteration"] for r in rows]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.plot(it, [num(r["loss"]) for r in rows], color="#333333", lw=1, label="minibatch loss")
    ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    ax2 = ax.twinx()
    sh = [(r["iteration"], num(r["sharpness"]) / num(r["sharpness_limit"])) for r in rows
          if r.get("sharpness") is not None and r.get("sharpness_limit")]
    if sh:
        ax2.plot([a for a, _ in sh], [b for _, b in sh], color="#1f77b4", lw=0.8, alpha=0.7, label="sharpness / (2/η)")
    ax2.axhline(1.0, color="#1f77b4", ls=":", lw=0.8)
    ax2.set_ylabel("sharpness / stability limit", color="#1f77b4")
    colors = {"sharpness": "#1f77b4", "update_rms": "#9467bd", "update_cos": "#8c564b", "grad_norm_spike": "#ff7f0e"}
    seen = set()
    for w in run["warnings"]:
        lbl = "warning: " + w["signal"] if w["signal"] not in seen else None
        seen.add(w["signal"])
        ax.axvline(w["iteration"], color=colors.get(w["signal"], "k"), ls="--", lw=1, label=lbl)
    ax.axvline(run["onset"], color="#d62728", lw=2, label="onset (loss > 3× trailing median)")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8)
    ax.set_xlim(-2, min(rows[-1]["iteration"], run["onset"] + 150))
    ax.set_title("%s: warnings before the onset (iteration %d)" % (run["id"], run["onset"]), fontsize=10)
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)


if __name__ == "__main__":
    main()
