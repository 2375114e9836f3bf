package org.explosionlab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import org.explosionlab.monitor.IterationMetrics;

/**
 * A finished run's recorded rows as {@link RunResult#metrics()} hands them out when the run has a directory: read
 * from its metrics.jsonl ({@link MetricsFile}) the first time they are asked for, so a run keeps no row in memory
 * for a caller (the CLI, a sweep) that never asks.
 */
public final class RecordedRows extends AbstractList<IterationMetrics> {
    private final Path file;
    private List<IterationMetrics> rows;

    public RecordedRows(Path file) {
        this.file = file;
    }

    private synchronized List<IterationMetrics> rows() {
        if (rows == null) {
            List<IterationMetrics> read = new ArrayList<>();
            try (MetricsFile in = MetricsFile.open(file, "re-run the training")) {
                for (IterationMetrics m; (m = in.next()) != null; ) read.add(m);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            rows = List.copyOf(read);
        }
        return rows;
    }

    @Override
    public IterationMetrics get(int index) {
        return rows().get(index);
    }

    @Override
    public int size() {
        return rows().size();
    }
}
