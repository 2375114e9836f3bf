package org.explosionlab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the reports of a directory: a run directory (holding metrics.jsonl and summary.json) gets
 * its {@link RunReport}; a sweep directory (sub-directories that are runs) gets every run's report
 * and the {@link SweepReport}. Every input is read and every file rendered before the first file is
 * written, so bad input leaves nothing half-written. {@code train}-like callers use
 * {@link #writeRunReport}, sweeps {@link #writeSweepReport}, the {@code report} command {@link #rebuild}.
 */
public final class Reports {

    private Reports() {
    }

    /** Writes report.html and the chart PNGs of the run in {@code runDir}; returns the files written. */
    public static List<Path> writeRunReport(Path runDir) {
        return RunReport.render(RunData.load(runDir)).write();
    }

    /**
     * Writes sweep.html and its chart PNGs for the sweep in {@code sweepDir} (each run's own report is
     * written by {@link #writeRunReport} when the run finishes); returns the files written.
     *
     * @param runOrder the runs' directory names in plan order (e.g. {@code SweepPoint.dirName()}); null or
     *                 empty: comparison.csv's order, else the runs' start times
     */
    public static List<Path> writeSweepReport(Path sweepDir, List<String> runOrder) {
        return SweepReport.render(load(sweepDir, runOrder)).write();
    }

    /** {@link #writeSweepReport(Path, List)} with the sweep's groups over seeds as a table at the top. */
    public static List<Path> writeSweepReport(Path sweepDir, List<String> runOrder, SweepReport.GroupTable groups) {
        return SweepReport.render(load(sweepDir, runOrder), groups).write();
    }

    private static SweepReport.Sweep load(Path sweepDir, List<String> runOrder) {
        return SweepReport.load(sweepDir, runOrder == null || runOrder.isEmpty() ? null : runOrder);
    }

    /** Writes every run's report and sweep.html, all rendered before the first file is written. */
    private static List<Path> writeAll(Path sweepDir) {
        SweepReport.Sweep sweep = load(sweepDir, null);
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

    /** Rebuilds the report(s) of {@code dir}, a run or a sweep directory; returns the files written. */
    public static List<Path> rebuild(Path dir) {
        if (!Files.exists(dir)) {
            throw new ReportInputException(dir + " does not exist — give a run directory (with metrics.jsonl"
                    + " and summary.json) or a sweep directory (one such sub-directory per run)");
        }
        if (!Files.isDirectory(dir)) {
            throw new ReportInputException(dir + " is a file, not a directory — give a run directory or a"
                    + " sweep directory");
        }
        boolean hasMetrics = Files.exists(dir.resolve(RunJson.METRICS_FILE));
        boolean hasSummary = Files.exists(dir.resolve(RunJson.SUMMARY_FILE));
        if (hasMetrics || hasSummary) {
            if (!hasMetrics || !hasSummary) {
                throw new ReportInputException(dir + " has " + (hasMetrics ? RunJson.METRICS_FILE : RunJson.SUMMARY_FILE)
                        + " but no " + (hasMetrics ? RunJson.SUMMARY_FILE : RunJson.METRICS_FILE)
                        + (hasMetrics ? " — the run has not finished its first epoch; report on it after it has"
                                : " — the run directory is incomplete; re-run the training"));
            }
            return writeRunReport(dir);
        }
        if (!SweepReport.isSweepDirectory(dir)) {
            throw new ReportInputException(dir + " holds neither metrics.jsonl and summary.json nor run"
                    + " sub-directories with them — give a run directory or a sweep directory");
        }
        return writeAll(dir);
    }
}
