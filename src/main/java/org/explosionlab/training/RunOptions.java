package org.explosionlab.training;

import java.nio.file.Path;

/**
 * How to run a spec (as opposed to what to train, which is the spec).
 *
 * @param outDir          run directory for spec.json, metrics.jsonl, metrics.csv, summary.json,
 *                        checkpoint.zip and model.zip; null = keep nothing on disk
 * @param maxBatches      stop each epoch after this many minibatches (smoke runs); 0 = whole epoch
 * @param consoleEvery    print a compact line every N iterations; 0 = silent
 * @param checkpointEvery also checkpoint every N iterations (0 = only at the end of each epoch)
 * @param command         the command line that started the run, for provenance
 */
public record RunOptions(Path outDir, int maxBatches, int consoleEvery, int checkpointEvery, String command) {
    public RunOptions {
        if (maxBatches < 0) throw new IllegalArgumentException("maxBatches must be >= 0, got " + maxBatches);
        if (consoleEvery < 0) throw new IllegalArgumentException("consoleEvery must be >= 0, got " + consoleEvery);
        if (checkpointEvery < 0) throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + checkpointEvery);
    }

    public RunOptions(Path outDir, int maxBatches, int consoleEvery, String command) {
        this(outDir, maxBatches, consoleEvery, 0, command);
    }

    /** No files, no console output: for tests and sweeps that only need the result. */
    public static RunOptions inMemory(int maxBatches) {
        return new RunOptions(null, maxBatches, 0, 0, "");
    }
}
