#!/usr/bin/env bash
# Measures `explosion-lab report` on a run with 1,000,000 metrics.jsonl lines, in a 512 MB heap.
# The run is made from a real short bad-init run: its 100 recorded rows are repeated with the
# iteration renumbered (every other field as DL4J recorded it), so each line has the real size and
# shape (~1.6 KB, 1.6 GB in all) and the run keeps its explosion. Prints wall time, peak RSS and the
# JVM's peak heap use (GC log) as a Markdown table row.
#   bench/report-1m.sh [LINES] [WORK_DIR]     (defaults: 1000000, target/report-1m)
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
WORK=${2:-target/report-1m}
mvn -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
mkdir -p "$WORK"
rm -rf "$WORK/classes" && cp -r target/classes "$WORK/classes"   # a rebuild during the run cannot change them
CP="$WORK/classes:$(cat target/cp.txt)"
if [ ! -f "$WORK/seed/summary.json" ]; then
  OMP_NUM_THREADS=1 java -cp "$CP" org.explosionlab.cli.ExplosionLab train --preset bad-init --epochs 1 \
    --max-batches 100 --out "$WORK/seed" --overwrite --console-every 0 >/dev/null
fi
RUN="$WORK/run-$LINES"
mkdir -p "$RUN"
cp "$WORK/seed/summary.json" "$RUN/summary.json"
python3 - "$WORK/seed/metrics.jsonl" "$RUN/metrics.jsonl" "$LINES" <<'PY'
import re, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [l.rstrip("\n") for l in open(src) if l.strip()]
pat = re.compile(r'^\{"iteration":\d+,"epoch":\d+,')
with open(dst, "w") as out:
    for i in range(n):
        out.write(pat.sub('{"iteration":%d,"epoch":%d,' % (i, i // 1875), rows[i % len(rows)], count=1) + "\n")
PY
echo "metrics.jsonl: $(wc -l < "$RUN/metrics.jsonl") lines, $(du -h "$RUN/metrics.jsonl" | cut -f1)" >&2
GC="$WORK/gc-$LINES.log"
/usr/bin/time -v -o "$WORK/time-$LINES.txt" env OMP_NUM_THREADS=1 java -Xmx512m -Xlog:gc:file="$GC" \
  -cp "$CP" org.explosionlab.cli.ExplosionLab report "$RUN" >&2
wall=$(grep "Elapsed (wall clock)" "$WORK/time-$LINES.txt" | awk '{print $NF}')
rss=$(grep "Maximum resident set size" "$WORK/time-$LINES.txt" | awk '{print int($NF/1024)}')
heap=$(grep -oE '[0-9]+M->[0-9]+M' "$GC" | sed 's/M->.*//' | sort -n | tail -1)
echo "| $LINES | $(du -h "$RUN/metrics.jsonl" | cut -f1) | 512 MB | $wall | ${heap} MB | ${rss} MiB | $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) |"
