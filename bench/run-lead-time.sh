#!/usr/bin/env bash
# The early-warning lead-time benchmark (issue 24): the corpus of bench/lead-time.md — every exploding preset, the
# seed model's SGD and Adam learning-rate ladders, 5 seeds each, and healthy runs (seed-baseline and He init over
# seeds and batch sizes) — trained with every instrument on, then scored by bench/lead-time.py into
# bench/lead-time.md, bench/lead-time-runs.csv and docs/early-warning.png. Runs go to target/lead-time/
# (an interrupted invocation continues where it stopped). About 30-40 min alone on 2 cores.
# Extra arguments go to org.explosionlab.bench.LeadTimeCorpus (e.g. --seeds 1, --healthy-max-batches 250).
set -euo pipefail
cd "$(dirname "$0")/.."
# the corpus runner lives in src/bench/java (profile bench), outside the application jar
mvn -q -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
rm -rf target/lead-time-classes && mkdir target/lead-time-classes        # a rebuild during the run cannot change them
cp -r target/classes target/lead-time-classes/main && cp -r target/test-classes target/lead-time-classes/bench
OMP_NUM_THREADS=1 java -cp "target/lead-time-classes/bench:target/lead-time-classes/main:$(cat target/bench-cp.txt)" \
    org.explosionlab.bench.LeadTimeCorpus \
    target/lead-time "$@"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3     # the Debian python with matplotlib (see notebooks/README.md)
"$PY" bench/lead-time.py target/lead-time bench/lead-time.md bench/lead-time-runs.csv docs/early-warning.png
