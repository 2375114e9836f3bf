#!/usr/bin/env bash
# Times one 8-point sweep (seed-baseline x 4 learning rates x 2 seeds, 1 epoch each) at --workers 1 and
# --workers 2, with the points trained on worker threads of one JVM, ROUNDS times in that order; prints a
# Markdown table (wall time, speed-up over --workers 1, peak RSS) and checks that every point's metrics.jsonl and model parameters are the same bytes in
# every run (bench/sweep-workers.md holds the result on the 2-core machine).
#
#   mvn -q -o compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
#   bench/run-sweep-workers.sh
#
# OUT (default runs/bench-sweep-workers), ROUNDS (default 2), EPOCHS (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/bench-sweep-workers}
ROUNDS=${ROUNDS:-2}
EPOCHS=${EPOCHS:-1}
rm -rf "$OUT"; mkdir -p "$OUT"
cp -r target/classes "$OUT/classes"        # a snapshot: a recompile during the benchmark cannot break the sweeps
CP="$OUT/classes:$(cat target/cp.txt)"
SWEEP=(sweep --preset seed-baseline --grid learningRate=0.01,0.03,0.1,0.3 --seeds 2 --epochs "$EPOCHS")
# What two cores give right now on this shared machine: the same pure-CPU Python loop alone and twice at once.
burn() { python3 -c "import time; t=time.time(); x=sum(range(30_000_000)); print(time.time()-t)"; }
parallelism() {
  local one two
  one=$(burn)
  two=$( (burn & burn & wait) | sort -n | tail -1)
  printf "%.2f" "$(echo "2 * $one / $two" | bc -l)"
}
echo "| round | mode | workers | wall s | speed-up | peak RSS MiB (parent) | peak RSS MiB (largest child) | train s summed over points | load avg before | CPU-loop speed-up x2 before |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for round in $(seq 1 "$ROUNDS"); do
  for mode in threads; do
    base=""
    for k in 1 2; do
      dir="$OUT/r$round-$mode-w$k"
      load=$(cut -d' ' -f1 /proc/loadavg)      # other users' processes on the shared machine show here
      par=$(parallelism)
      /usr/bin/time -f "%e %M" -o "$dir.time" env OMP_NUM_THREADS=1 java -cp "$CP" org.explosionlab.cli.ExplosionLab \
        "${SWEEP[@]}" --workers "$k" --out "$dir" > "$dir.log" 2>&1 || echo "!! $dir: exit code $? (see $dir.log)" >&2
      read -r wall rss < "$dir.time"
      [ -z "$base" ] && base=$wall
      child="-"
      trained=$(python3 -c "import csv,sys; print(round(sum(float(r['train_seconds']) for r in csv.DictReader(open(sys.argv[1]))), 1))" "$dir/comparison-runs.csv")
      printf "| %s | %s | %s | %.1f | %.2f | %.0f | %s | %s | %s | %s |\n" "$round" "$mode" "$k" "$wall" "$(echo "$base / $wall" | bc -l)" \
        "$(echo "$rss / 1024" | bc -l)" "$child" "$trained" "$load" "$par"
    done
  done
done
echo
echo "identity: distinct metrics.jsonl contents per point over all $((ROUNDS * 2)) sweeps (1 = bit-identical everywhere):"
for p in "$OUT"/r1-threads-w1/*/; do
  [ -f "$p/metrics.jsonl" ] || continue
  name=$(basename "$p")
  n=$(md5sum "$OUT"/*/"$name"/metrics.jsonl | awk '{print $1}' | sort -u | wc -l)
  echo "  $name: $n"
done
