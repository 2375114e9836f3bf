#!/usr/bin/env bash
# The 5-epoch sweep of every preset (bench/sweep-all-presets.md): one `sweep --presets <all>` per seed,
# into $OUT/seed<S>/ (default runs/preset-sweep), JOBS (default 2) seeds at a time, one OpenMP thread each.
#
#   mvn -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
#   SEEDS="42 43 44 45 46" bench/run-preset-sweep.sh
#   python3 bench/preset-table.py runs/preset-sweep        # the tables of bench/sweep-all-presets.md
#
# PRESETS (default: every preset of src/main/resources/presets/index.txt) narrows the sweep.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/preset-sweep}
SEEDS=(${SEEDS:-42})
JOBS=${JOBS:-2}
CLASSES=${CLASSES:-target/classes}
CP_FILE=${CP_FILE:-target/cp.txt}
PRESETS=${PRESETS:-$(grep -v '^#' src/main/resources/presets/index.txt | paste -sd, -)}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} OUT CLASSES CP_FILE PRESETS
mkdir -p "$OUT"
printf '%s\n' "${SEEDS[@]}" | xargs -P "$JOBS" -I{} bash -c '
  java -Xmx3g -cp "$CLASSES:$(cat "$CP_FILE")" org.explosionlab.cli.ExplosionLab sweep --presets "$PRESETS" \
    --set seed={} --epochs 5 --out "$OUT/seed{}" --overwrite > "$OUT/seed{}.log" 2>&1 \
    && echo "seed {}: done" || echo "!! seed {}: exit code $? (see $OUT/seed{}.log)"'
