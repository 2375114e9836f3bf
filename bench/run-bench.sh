#!/usr/bin/env bash
# Training-speed benchmark: the seed model (784-128-64-10, Adam) in DL4J under each setup of
# org.explosionlab.bench.TrainingBenchmark, and the numpy reference (numpy_mlp_reference.py), measured
# in the same rounds on the same files (data/mnist), at batch 32 and 128.
#
#   bench/run-bench.sh                          # rows a, b, c, d, rounds 3  (about 10-20 minutes on 2 busy cores)
#   bench/run-bench.sh --setups a,a1,b-,b0,b1,b2,b,c,c10,d   # every ablation row as well
#   bench/run-bench.sh --out bench/last-run.md  # also keep the tables in a file
#
# Extra arguments go to TrainingBenchmark (see --help). Every setup runs in its own JVM, because OpenMP and
# JavaCPP read their settings once, when ND4J loads; the numpy reference runs between them, so that
# machine load hits both alike. Ratios (the "x numpy" columns and the summary lines) are the result;
# absolute examples/s depend on the machine and its load.
set -euo pipefail
cd "$(dirname "$0")/.."
OFFLINE=${MVN_OFFLINE:--o}
mvn -q $OFFLINE compile
mvn -q $OFFLINE dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import numpy' 2>/dev/null || { echo "run-bench: $PYTHON has no numpy; set PYTHON=... or install numpy" >&2; exit 2; }
echo "run-bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), numpy $("$PYTHON" -c 'import numpy; print(numpy.__version__)')" >&2
# the parent JVM only starts children and never loads ND4J: a small heap is enough
exec java -Xmx256m -cp "target/classes:$(cat target/bench-classpath.txt)" org.explosionlab.bench.TrainingBenchmark \
    --numpy bench/numpy_mlp_reference.py --python "$PYTHON" --data data/mnist --batch 32,128 "$@"
