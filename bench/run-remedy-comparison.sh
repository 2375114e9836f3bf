#!/usr/bin/env bash
# Trains every remedy on the two exploding presets (bad-init, high-lr) for the presets' 5 epochs and
# writes one run directory per pair under $OUT (default runs/remedy-comparison/<config>--<remedy>/).
# Then bench/remedy-table.py turns those directories into the table of bench/remedy-comparison.md.
#
#   mvn -q -o compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
#   OMP_NUM_THREADS=1 bench/run-remedy-comparison.sh
#   python3 bench/remedy-table.py runs/remedy-comparison
#
# CLASSES (default target/classes) and CP_FILE (default target/cp.txt) choose the build to run.
# SEEDS (default 42) repeats every pair per seed, into <config>--<remedy>--seed<S>/ when more than one
# is given (e.g. SEEDS="1 2 3 4 5"); JOBS (default 1) runs that many trainings at once, one OpenMP
# thread each (each run is the same single-JVM `train` as alone, so its numbers do not change).
# KEEP_DONE=1 keeps the runs of an earlier, interrupted invocation that finished.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/remedy-comparison}
CLASSES=${CLASSES:-target/classes}
CP_FILE=${CP_FILE:-target/cp.txt}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}

# remedy name | --set overrides (space separated)
REMEDIES=(
  "none|"
  "dl4j-RenormalizeL2PerLayer|gradientNormalization=RenormalizeL2PerLayer"
  "dl4j-RenormalizeL2PerParamType|gradientNormalization=RenormalizeL2PerParamType"
  "dl4j-ClipElementWiseAbsoluteValue-0.1|gradientNormalization=ClipElementWiseAbsoluteValue gradientNormalizationThreshold=0.1"
  "dl4j-ClipL2PerLayer-1.0|gradientNormalization=ClipL2PerLayer gradientNormalizationThreshold=1.0"
  "dl4j-ClipL2PerParamType-1.0|gradientNormalization=ClipL2PerParamType gradientNormalizationThreshold=1.0"
  "global_l2-1.0|clipping=global_l2 clipThreshold=1.0"
  "agc-0.01|clipping=agc"
  "autoclip-p10|clipping=autoclip"
  "zclip|clipping=zclip"
  "skipNonFinite|skipNonFinite=true"
  "spike-skip|spikeSkip=true"
)
CONFIGS=(${CONFIGS:-bad-init high-lr})
SEEDS=(${SEEDS:-42})
JOBS=${JOBS:-1}

run_one() {   # config remedy seed overrides...
  local config=$1 remedy=$2 seed=$3; shift 3
  local dir="$OUT/$config--$remedy"
  [ "$SEEDS_COUNT" -gt 1 ] && dir="$dir--seed$seed"
  if [ -n "${KEEP_DONE:-}" ] && grep -qs '"test_accuracy"' "$dir/summary.json" && ! grep -qs Exception "$dir.log"; then
    echo "== $config / $remedy / seed $seed: kept (KEEP_DONE)"; return 0
  fi
  local sets=(--set "seed=$seed")
  for kv in "$@"; do sets+=(--set "$kv"); done
  echo "== $config / $remedy / seed $seed"
  java -Xmx2g -cp "$CLASSES:$(cat "$CP_FILE")" org.explosionlab.cli.ExplosionLab train \
    --preset "$config" "${sets[@]}" --out "$dir" --overwrite --console-every 0 > "$dir.log" 2>&1 \
    || echo "!! $config / $remedy / seed $seed: exit code $? (see $dir.log)"
}
export -f run_one
export OUT CLASSES CP_FILE KEEP_DONE SEEDS_COUNT=${#SEEDS[@]}
mkdir -p "$OUT"

for config in "${CONFIGS[@]}"; do
  for entry in "${REMEDIES[@]}"; do
    for seed in "${SEEDS[@]}"; do
      overrides=${entry#*|}
      echo "$config ${entry%%|*} $seed${overrides:+ $overrides}"     # no trailing blank: xargs -L would join the next line
    done
  done
done | xargs -P "$JOBS" -L 1 bash -c 'run_one "$@"' _
