package org.explosionlab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.explosionlab.run.BoundedLines;
import org.explosionlab.run.MetricsFile;
import org.explosionlab.monitor.IterationMetrics;

/**
 * Streams a run's metrics.jsonl, one {@link IterationMetrics} at a time, so a report holds no more
 * than one row however long the run (the charts keep a bounded summary, {@link MinMaxBuckets}).
 * The rows are read and checked by {@link MetricsFile} (the reader {@code --resume} uses too): a killed
 * run's cut-off last line is skipped and a note says so; a broken, incomplete, duplicated or reordered
 * row anywhere else means the file is damaged and is an error.
 */
final class MetricsStream {

    private MetricsStream() {
    }

    /**
     * Feeds every complete row of {@code runDir/metrics.jsonl} to {@code sink}, in file order.
     *
     * @return what a reader should know about the file (e.g. a skipped last line)
     */
    static List<String> read(Path runDir, Consumer<IterationMetrics> sink) {
        Path file = runDir.resolve(RunJson.METRICS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ReportInputException("no " + RunJson.METRICS_FILE + " in " + runDir
                    + " — give a run directory written by the train command");
        }
        List<String> notes = new ArrayList<>();
        long rows = 0;
        try (MetricsFile in = MetricsFile.open(file, "re-run the training")) {
            for (IterationMetrics m; (m = in.next()) != null; ) {
                sink.accept(m);
                rows++;
            }
            if (in.skippedLastLine() > 0) {
                notes.add(RunJson.METRICS_FILE + ": the last line (line " + in.skippedLastLine() + ") is incomplete — the"
                        + " run was probably stopped while writing it — and was skipped.");
            }
        } catch (BoundedLines.LineException e) {
            throw new ReportInputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ReportInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (rows == 0) {
            notes.add(RunJson.METRICS_FILE + " holds no complete rows: the run stopped before its first recorded"
                    + " iteration, so the charts are empty.");
        }
        return notes;
    }
}
