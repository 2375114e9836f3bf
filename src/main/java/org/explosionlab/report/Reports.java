package org.explosionlab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds the reports of a directory: a run directory (holding metrics.jsonl or summary.json)
 * gets its {@link RunReport}; a sweep directory (sub-directories that are runs) gets every run's
 * report and the {@link SweepReport}. Every input is read and every file rendered before the
 * first file is written, so bad input leaves nothing half-written.
 */
public final class Reports {

    private Reports() {
    }

    /** Rebuilds the report(s) of {@code dir}; returns the files written. */
    public static List<Path> rebuild(Path dir) {
        if (!Files.exists(dir)) {
            throw new ReportInputException(dir + " does not exist — give a run directory (with metrics.jsonl"
                    + " and summary.json) or a sweep directory (one such sub-directory per run)");
        }
        if (!Files.isDirectory(dir)) {
            throw new ReportInputException(dir + " is a file, not a directory — give a run directory or a"
                    + " sweep directory");
        }
        boolean hasMetrics = Files.exists(dir.resolve(MetricsLog.FILE_NAME));
        boolean hasSummary = Files.exists(dir.resolve(RunSummary.FILE_NAME));
        if (hasMetrics || hasSummary) {
            if (!hasMetrics || !hasSummary) {
                throw new ReportInputException(dir + " has " + (hasMetrics ? MetricsLog.FILE_NAME : RunSummary.FILE_NAME)
                        + " but no " + (hasMetrics ? RunSummary.FILE_NAME : MetricsLog.FILE_NAME)
                        + (hasMetrics ? " — the run has not finished its first epoch; report on it after it has"
                                : " — the run directory is incomplete; re-run the training"));
            }
            return RunReport.write(dir);
        }
        if (!SweepReport.isSweepDirectory(dir)) {
            throw new ReportInputException(dir + " holds neither metrics.jsonl and summary.json nor run"
                    + " sub-directories with them — give a run directory or a sweep directory");
        }
        SweepReport.Sweep sweep = SweepReport.load(dir);
        List<RenderedFiles> rendered = new ArrayList<>();
        for (RunData run : sweep.runs()) {
            rendered.add(RunReport.render(run));
        }
        rendered.add(SweepReport.render(sweep));
        List<Path> written = new ArrayList<>();
        for (RenderedFiles files : rendered) {
            written.addAll(files.write());
        }
        return written;
    }
}
