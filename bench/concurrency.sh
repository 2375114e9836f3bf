#!/usr/bin/env bash
# What JMH cannot measure: K trainings at once on K cores, in rotation-paired rounds (each round runs every
# variant once, in a rotated order, so slow drift of the machine hits all of them alike; the table gives each
# round's ratio and their median). Prints Markdown rows; run by bench/run-all.sh, or alone:
#
#   bench/concurrency.sh pair   ROUNDS EPOCHS "NAME=FLAGS" ...  # one training alone, then two at once, per flag set
#   bench/concurrency.sh sweep  ROUNDS EPOCHS "FLAGS"           # sweep of 8 points --workers 1 vs 2, bit-identical check
#   bench/concurrency.sh spark  ROUNDS EPOCHS "FLAGS"           # the same 8 points on --spark-master local[1] vs local[2]
#
# Needs target/bench-run/classes and target/cp.txt (bench/run-all.sh makes them). Runs go to target/bench-run/; the
# first call also writes the AppCDS archive target/bench-run/app-cds.jsa that flag sets may use.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench-run
# the classes as a jar: CDS archives classes from jars only (-XX:ArchiveClassesAtExit refuses a directory on Java 17)
[ -f "$OUT/app.jar" ] || jar cf "$OUT/app.jar" -C "$OUT/classes" .
CP="$OUT/app.jar:$(cat target/cp.txt)"
CDS="$OUT/app-cds.jsa"   # a flag set may name it as -XX:SharedArchiveFile=target/bench-run/app-cds.jsa
OPENS=$(sed -n 's/^add\.opens=//p' "$OUT/classes/org/explosionlab/cli/launcher.properties")
export OMP_NUM_THREADS=1
cli() {   # cli FLAGS ARGS... : one CLI run; prints its wall seconds (BENCH_MAX_BATCHES=N: smoke runs)
  local flags=$1; shift
  if [ -n "${BENCH_MAX_BATCHES:-}" ]; then set -- "$@" --max-batches "$BENCH_MAX_BATCHES"; fi
  local t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  java -Xmx4g $flags $OPENS -cp "$CP" org.explosionlab.cli.ExplosionLab "$@" > "$OUT/last.log" 2>&1 \
      || { echo "bench: $* failed, see $OUT/last.log" >&2; tail -5 "$OUT/last.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
fmt() { printf '%.2f' "$1"; }
SWEEP=(--preset seed-baseline --grid learningRate=0.01,0.03,0.1,0.3 --seeds 2)

mode=$1 rounds=$2 epochs=$3; shift 3
if [ ! -f "$CDS" ]; then   # an AppCDS archive of the classes one training loads, dumped at the end of a short run
  java -Xmx4g -XX:ArchiveClassesAtExit="$CDS" $OPENS -cp "$CP" org.explosionlab.cli.ExplosionLab train --max-batches 5 \
      --out "$OUT/cds-dump" --overwrite > "$OUT/cds-dump.log" 2>&1 || { echo "bench: the CDS dump failed, see $OUT/cds-dump.log" >&2; exit 1; }
fi
case "$mode" in
pair)
  sets=("$@")
  declare -A ratios
  echo "| JVM flags | round | one alone s | two at once s (each) | ratio (slower of two / alone) |"
  echo "|---|---:|---:|---:|---:|"
  for r in $(seq 1 "$rounds"); do
    n=${#sets[@]}
    for i in $(seq 0 $((n - 1))); do
      s=${sets[$(( (i + r - 1) % n ))]}
      name=${s%%=*} flags=${s#*=}
      train=(train --preset seed-baseline --epochs "$epochs" --overwrite)
      alone=$(cli "$flags" "${train[@]}" --out "$OUT/pair-alone")
      cli "$flags" "${train[@]}" --out "$OUT/pair-a" > "$OUT/pair-a.s" &
      cli "$flags" "${train[@]}" --out "$OUT/pair-b" > "$OUT/pair-b.s" &
      wait
      a=$(cat "$OUT/pair-a.s") b=$(cat "$OUT/pair-b.s")
      worst=$(printf '%s\n%s\n' "$a" "$b" | sort -g | tail -1)
      ratio=$(echo "$worst / $alone" | bc -l)
      ratios[$name]="${ratios[$name]:-} $ratio"
      echo "| $name \`${flags:-(none)}\` | $r | $(fmt "$alone") | $(fmt "$a"), $(fmt "$b") | $(fmt "$ratio") |"
    done
  done
  for s in "${sets[@]}"; do
    name=${s%%=*}
    # shellcheck disable=SC2086
    echo "| $name | median | | | **$(fmt "$(median ${ratios[$name]})")** |"
  done
  ;;
sweep|spark)
  flags=${1:-}
  if [ "$mode" = sweep ]; then a=(--workers 1) b=(--workers 2) la="--workers 1" lb="--workers 2"
  else a=(--spark-master 'local[1]') b=(--spark-master 'local[2]') la="local[1]" lb="local[2]"; fi
  speedups=()
  echo "| $mode: 8 points x $epochs epochs | round | $la s | $lb s | speed-up |"
  echo "|---|---:|---:|---:|---:|"
  for r in $(seq 1 "$rounds"); do
    if [ $((r % 2)) = 1 ]; then order="a b"; else order="b a"; fi
    for w in $order; do
      if [ "$w" = a ]; then args=("${a[@]}"); else args=("${b[@]}"); fi
      t=$(cli "$flags" sweep "${SWEEP[@]}" --epochs "$epochs" "${args[@]}" --out "$OUT/$mode-r$r-$w" --overwrite)
      eval "t_$w=$t"
    done
    s=$(echo "$t_a / $t_b" | bc -l); speedups+=("$s")
    echo "| \`${flags:-(none)}\` | $r | $(fmt "$t_a") | $(fmt "$t_b") | $(fmt "$s") |"
  done
  echo "| | median | | | **$(fmt "$(median "${speedups[@]}")")** |"
  # bit-identical: every point's metrics.jsonl and model.zip parameters the same bytes in every run of this mode
  differ=0 points=0
  for p in "$OUT/$mode-r1-a"/*/; do
    [ -f "$p/metrics.jsonl" ] || continue
    name=$(basename "$p"); points=$((points + 1))
    [ "$(md5sum "$OUT/$mode"-r*-*/"$name"/metrics.jsonl | awk '{print $1}' | sort -u | wc -l)" = 1 ] || differ=$((differ + 1))
    [ "$(for z in "$OUT/$mode"-r*-*/"$name"/model.zip; do unzip -p "$z" coefficients.bin 2>/dev/null | md5sum; done | sort -u | wc -l)" = 1 ] \
        && [ "$(ls "$OUT/$mode"-r*-*/"$name"/model.zip 2>/dev/null | wc -l)" = $((rounds * 2)) ] || differ=$((differ + 1))
  done
  echo ""
  echo "$mode: $points points; metrics.jsonl and model parameters bit-identical over all $((rounds * 2)) runs: $([ "$differ" = 0 ] && echo yes || echo "NO ($differ files differ)")"
  ;;
*) echo "usage: bench/concurrency.sh pair|sweep|spark ROUNDS EPOCHS FLAGS..." >&2; exit 2 ;;
esac
