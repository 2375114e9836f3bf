package org.explosionlab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.explosionlab.training.RunSummary;

/**
 * What a report needs of one run, read from its directory in one streaming pass over
 * metrics.jsonl: summary.json as training wrote it, the run's figures and its charts.
 *
 * @param dir     the run directory
 * @param summary summary.json
 * @param stats   figures over all rows of metrics.jsonl
 * @param charts  the charts, downsampled
 * @param notes   what a reader should know about the files (e.g. a skipped last line)
 */
record RunData(Path dir, RunSummary summary, RunStats stats, List<Chart> charts, List<String> notes) {

    /**
     * Reads summary.json and streams metrics.jsonl from {@code runDir}; both must exist, and metrics.jsonl must hold as
     * many rows as the samples summary.json's verdict counts (when it records them), as {@code --resume} checks its rows.
     */
    static RunData load(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new ReportInputException(runDir + " is not a directory — give a run directory"
                    + " (holding metrics.jsonl and summary.json) or a sweep directory");
        }
        RunSummary summary = RunJson.summary(runDir);
        RunCharts charts = new RunCharts(summary.spec());
        RunStats stats = new RunStats();
        List<String> notes = MetricsStream.read(runDir, m -> {
            charts.accept(m);
            stats.accept(m);                                      // counts the rows
        });
        Long samples = summary.verdict() == null ? null : summary.verdict().samples();
        if (samples != null && stats.rows() != samples) {
            throw new ReportInputException(runDir.resolve(RunJson.METRICS_FILE) + " holds " + stats.rows() + " rows, but summary.json"
                    + " says the run recorded " + samples + ": rows were lost or added; the file is damaged or was edited;"
                    + " re-run the training");
        }
        return new RunData(runDir, summary, stats, charts.charts(summary.verdict()), notes);
    }

    /** The run's name: its directory's name. */
    String name() {
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        return fileName == null ? dir.toString() : fileName.toString();
    }

    /** The chart with id {@code id}. */
    Chart chart(String id) {
        return charts.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no chart " + id));
    }
}
