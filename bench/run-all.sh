#!/usr/bin/env bash
# Every figure of bench/RESULTS.md in one run (about 25 min on the 2-core machine, alone): JMH rows of net.fit
# (listeners, settings), the monitor's cost in rotation-paired rounds, the numpy and PyTorch references,
# and the concurrency rows (one training alone vs two at once, sweep --workers 1 vs 2, Spark local[1] vs
# local[2]). Prints one table and writes bench/RESULTS.md (a smoke run writes target/bench-run/RESULTS.md).
#
#   bench/run-all.sh            # the real run: run it on an otherwise idle machine
#   bench/run-all.sh --smoke    # every step with tiny settings (~5 min), to check that the harness works
#
# Needs JDK 17, Maven, and Debian's python3-numpy and python3-torch (apt-get install python3-torch) for the
# references; without torch its rows say "not installed". The JVM flags under test are pom.xml's jvm.flags.
set -euo pipefail
cd "$(dirname "$0")/.."
SMOKE=0; [ "${1:-}" = --smoke ] && SMOKE=1
OUT=target/bench-run
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
started=$(date -u +%FT%TZ)
log() { echo "run-all $(date -u +%T): $*" >&2; }

log "building (JMH benchmarks in src/bench/java, profile bench)"
mvn -q -o -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >/dev/null 2>&1 \
    || mvn -q -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
rm -rf "$OUT"; mkdir -p "$OUT"
cp -r target/classes "$OUT/classes"; cp -r target/test-classes "$OUT/test-classes"   # a rebuild during the run cannot change them
FLAGS=$(sed -n 's/^jvm\.flags=//p' "$OUT/classes/org/explosionlab/cli/launcher.properties")
JMH=(java -cp "$OUT/test-classes:$OUT/classes:$(cat target/bench-cp.txt)" org.openjdk.jmh.Main)
if [ "$SMOKE" = 1 ]; then
  JMH_OPTS=(-f 1 -wi 0 -i 1 -r 1s); PAIRED=(-f 1 -wi 0 -i 1 -r 1s); MON_ROUNDS=1
  ROUNDS=1; PAIR_EPOCHS=1; SWEEP_EPOCHS=1; export BENCH_MAX_BATCHES=20; PY_EPOCHS=1
else
  JMH_OPTS=(); PAIRED=(-f 1 -wi 3 -i 5 -r 2s); MON_ROUNDS=3
  ROUNDS=2; PAIR_EPOCHS=8; SWEEP_EPOCHS=3; unset BENCH_MAX_BATCHES; PY_EPOCHS=3
fi
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -1); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); jvm.flags: $FLAGS"
} > "$OUT/env.txt"

log "JMH: net.fit with and without listeners (OMP_NUM_THREADS=1)"
OMP_NUM_THREADS=1 "${JMH[@]}" FitBenchmark "${JMH_OPTS[@]}" -prof gc -jvmArgsAppend "$FLAGS" -rf json -rff "$OUT/fit.json" > "$OUT/fit.log"

log "JMH: the monitor every iteration against none, $MON_ROUNDS rotation-paired rounds at batch 32"
for r in $(seq 1 "$MON_ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="none monitor"; else order="monitor none"; fi
  for l in $order; do
    OMP_NUM_THREADS=1 "${JMH[@]}" FitBenchmark "${PAIRED[@]}" -p batch=32 -p listener="$l" -jvmArgsAppend "$FLAGS" \
        -rf json -rff "$OUT/paired-r$r-$l.json" > "$OUT/paired.log"
  done
done

log "JMH: the project's DL4J settings against DL4J's defaults (thread variables unset)"
env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS "${JMH[@]}" SettingsBenchmark "${JMH_OPTS[@]}" -jvmArgsAppend "$FLAGS" \
    -rf json -rff "$OUT/settings.json" > "$OUT/settings.log"

log "numpy and PyTorch references"
: > "$OUT/python.txt"
for b in 32 128; do
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PY" bench/numpy_mlp_reference.py data/mnist --batch "$b" --epochs "$PY_EPOCHS" --threads 1 >> "$OUT/python.txt" \
      || echo "numpy-reference batch=$b failed" >> "$OUT/python.txt"
  if "$PY" -c 'import torch' 2>/dev/null; then
    OMP_NUM_THREADS=1 "$PY" bench/torch_mlp_reference.py data/mnist --batch "$b" --epochs "$PY_EPOCHS" --threads 1 >> "$OUT/python.txt"
  else
    echo "torch-reference batch=$b not-installed" >> "$OUT/python.txt"
  fi
done

log "one training alone vs two at once ($ROUNDS rounds, $PAIR_EPOCHS epochs)"
CDS=-XX:SharedArchiveFile=$OUT/app-cds.jsa    # written by concurrency.sh's first call
bench/concurrency.sh pair "$ROUNDS" "$PAIR_EPOCHS" "JVM defaults=" "project jvm.flags=$FLAGS" "jvm.flags + AppCDS=$FLAGS $CDS" \
    "C1 only + Serial GC=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" "C1 only + Serial GC + AppCDS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC $CDS" \
    > "$OUT/pair.md"
log "sweep --workers 1 vs 2"
bench/concurrency.sh sweep "$ROUNDS" "$SWEEP_EPOCHS" "$FLAGS" > "$OUT/sweep.md"
log "Spark local[1] vs local[2]"
bench/concurrency.sh spark "$ROUNDS" "$SWEEP_EPOCHS" "$FLAGS" > "$OUT/spark.md"

dest=bench/RESULTS.md; [ "$SMOKE" = 1 ] && dest=$OUT/RESULTS.md
"$PY" bench/results.py "$OUT" "$dest" "$started" "$SMOKE"
log "done: $dest"
