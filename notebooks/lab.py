"""Helpers the notebooks share: run the packaged explosion-lab CLI and load its run files.

The CLI runs as `java -cp target/classes:<dependencies> org.explosionlab.cli.ExplosionLab ...`;
`ensure_built()` compiles the project and writes the dependency classpath once (needs Maven).
"""
import json
import math
import os
import subprocess
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CP_FILE = ROOT / "target" / "cp.txt"


def ensure_built():
    """Compile the project and write target/cp.txt (the dependency classpath), once."""
    if not (ROOT / "target" / "classes" / "org").exists() or not CP_FILE.exists():
        subprocess.run(["mvn", "-q", "compile", "dependency:build-classpath",
                        f"-Dmdep.outputFile={CP_FILE}"], cwd=ROOT, check=True)


def jvm_flags():
    """pom.xml's jvm.flags, as the build wrote them for the launchers: one training keeps one core busy
    (README, "Running K trainings at once")."""
    props = ROOT / "target" / "classes" / "org" / "explosionlab" / "cli" / "launcher.properties"
    for line in props.read_text().splitlines() if props.exists() else []:
        if line.startswith("jvm.flags="):
            return line[len("jvm.flags="):].split()
    return []


def cli(*args, check=True):
    """Run `explosion-lab ARGS...`; returns (exit code, stdout) and prints stdout."""
    ensure_built()
    cp = f"{ROOT / 'target' / 'classes'}:{CP_FILE.read_text().strip()}"
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    p = subprocess.run(["java", "-Xmx4g", *jvm_flags(), "-cp", cp, "org.explosionlab.cli.ExplosionLab", *args],
                       cwd=ROOT, env=env, capture_output=True, text=True)
    print(p.stdout, end="")
    if p.stderr.strip():
        print(p.stderr.strip())
    if check and p.returncode != 0:
        raise RuntimeError(f"explosion-lab {' '.join(args)} exited with {p.returncode}")
    return p.returncode, p.stdout


def _num(v):
    """metrics.jsonl writes non-finite numbers as the strings "NaN", "Infinity", "-Infinity"."""
    if isinstance(v, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(v, v)
    return v


def load_metrics(run_dir):
    """metrics.jsonl as a DataFrame: one row per recorded iteration; arrays/maps expanded to columns."""
    rows = []
    with open(Path(run_dir) / "metrics.jsonl") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a killed run may leave a truncated last line
            flat = {}
            for k, v in rec.items():
                if isinstance(v, list):
                    for i, x in enumerate(v):
                        flat[f"{k}_{i}"] = _num(x)
                elif isinstance(v, dict):
                    for p, x in v.items():
                        flat[f"{k}_{p}"] = _num(x)
                else:
                    flat[k] = _num(v)
            rows.append(flat)
    return pd.DataFrame(rows)


def load_summary(run_dir):
    with open(Path(run_dir) / "summary.json") as f:
        return json.load(f)
