#!/usr/bin/env bash
# The verdict table: every preset x {1, 2, 5} epochs x 3 seeds (225 Trainer runs on the embedded MNIST, ~10 min
# alone on 2 cores), written to bench/verdict-table.csv and summarised in bench/verdict-table.md.
# Extra arguments go to org.explosionlab.bench.VerdictTable (e.g. --presets seed-baseline --set batchSize=256).
set -euo pipefail
cd "$(dirname "$0")/.."
# the runner lives in src/bench/java (profile bench), outside the application jar
mvn -q -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
rm -rf target/bench-classes && mkdir target/bench-classes        # a rebuild during the run cannot change them
cp -r target/classes target/bench-classes/main && cp -r target/test-classes target/bench-classes/bench
CP="target/bench-classes/bench:target/bench-classes/main:$(cat target/bench-cp.txt)"
rm -f bench/verdict-table.csv
OMP_NUM_THREADS=1 java -cp "$CP" org.explosionlab.bench.VerdictTable \
    bench/verdict-table.csv --epochs 1,2,5 --seeds 3 "$@"
rm -f bench/verdict-lengths.csv                                  # seed-baseline and He init at 1 and 20 epochs, batch 16..256
for b in 16 64 128 256; do
  OMP_NUM_THREADS=1 java -cp "$CP" org.explosionlab.bench.VerdictTable \
      bench/verdict-lengths.csv --presets seed-baseline --epochs 1,20 --seeds 1 --set batchSize=$b
done
for b in 16 256; do
  OMP_NUM_THREADS=1 java -cp "$CP" org.explosionlab.bench.VerdictTable \
      bench/verdict-lengths.csv --presets bad-init-he-init --epochs 1,20 --seeds 1 --set batchSize=$b
done
python3 bench/verdict-table.py bench/verdict-table.csv bench/verdict-lengths.csv > bench/verdict-table.md
