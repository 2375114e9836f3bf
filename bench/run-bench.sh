#!/usr/bin/env bash
# The benchmark (org.explosionlab.bench.MonitorBenchmark), measured in one run as ratios:
#   monitor  - ExplosionMonitor (every iteration / every 10th) and DL4J's StatsListener over the same DL4J
#              training without a listener: paired 50-step blocks in this JVM, batch 32 and 128;
#   settings - this project's DL4J settings against DL4J's out-of-the-box defaults, a child JVM per row;
#   limit    - the numpy MLP (and PyTorch, where Debian's python3-torch is installed) as a reference.
#
#   bench/run-bench.sh                                    # everything, about 8-10 minutes on 2 cores
#   bench/run-bench.sh --out bench/last-run.md            # also keep the report in a file
#   bench/run-bench.sh --blocks 40 --rounds 1 --warmup-steps 300   # a quick, rougher run (~2 min)
#   bench/run-bench.sh --parts monitor --batch 32         # one part, one batch size
#   bench/run-bench.sh --settings dl4j-defaults,project,dl4j-defaults-1t,project-ws-none   # with ablations
#
# Extra arguments go to MonitorBenchmark (--help lists them). The JVM starts with OMP_NUM_THREADS=1 (the
# project's setting; the in-JVM monitor part runs in it); child JVMs set or remove the thread variables
# themselves. MVN_OFFLINE= (empty) lets Maven go online; PYTHON chooses the numpy interpreter,
# TORCH_PYTHON the PyTorch one (default /usr/bin/python3, where Debian's python3-torch installs).
set -euo pipefail
cd "$(dirname "$0")/.."
OFFLINE=${MVN_OFFLINE--o}
mvn -q $OFFLINE compile
# the dependency plugin's own dependencies may be missing from a repository filled offline: then fetch them once
mvn -q $OFFLINE dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null 2>&1 \
    || mvn -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
# run from a copy of the classes, so that a rebuild of target/classes during the run (another mvn in this
# checkout) cannot pull classes from under the benchmark JVM or its children
rm -rf target/bench-classes
cp -r target/classes target/bench-classes
PYTHON=${PYTHON:-python3}
TORCH_PYTHON=${TORCH_PYTHON:-/usr/bin/python3}
NUMPY_VERSION=$("$PYTHON" -c 'import numpy; print(numpy.__version__)' 2>/dev/null || echo "not importable")
TORCH_VERSION=$("$TORCH_PYTHON" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo "not importable")
echo "run-bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $PYTHON numpy $NUMPY_VERSION; $TORCH_PYTHON torch $TORCH_VERSION" >&2
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 exec java -Xmx2g -Dexplosionlab.threads=1 \
    -cp "target/bench-classes:$(cat target/bench-classpath.txt)" org.explosionlab.bench.MonitorBenchmark \
    --python "$PYTHON" --torch-python "$TORCH_PYTHON" "$@"
