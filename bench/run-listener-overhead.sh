#!/usr/bin/env bash
# Paired, in-process measurement of the metrics listeners' cost (org.explosionlab.bench.ListenerOverhead):
# setups b, c, c10, d (or --setups, e.g. b,c,c10,d,bj,cj) train side by side in one JVM, one epoch each in
# turn, then in blocks of steps each in turn; then setup c4 times its recorded against its unrecorded
# steps. Extra arguments go to it (e.g. --batch 32 --epochs 20 --blocks 300 --step-epochs 20). A first
# argument --vector starts the JVM with --add-modules jdk.incubator.vector and the native kernel off
# (the Vector API Adam kernel then measures the metrics in its pass). See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OFFLINE=${MVN_OFFLINE:--o}
mvn -q $OFFLINE compile
mvn -q $OFFLINE dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
VECTOR=()
if [ "${1:-}" = "--vector" ]; then VECTOR=(--add-modules jdk.incubator.vector -Dexplosionlab.nativeAdam=false); shift; fi
OMP_NUM_THREADS=1 exec java -Xmx2g "${VECTOR[@]}" -Dexplosionlab.threads=1 -cp "target/classes:$(cat target/bench-classpath.txt)" \
    org.explosionlab.bench.ListenerOverhead "$@"
