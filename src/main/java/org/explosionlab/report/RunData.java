package org.explosionlab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.explosionlab.run.MetricsDigest;
import org.explosionlab.training.RunResults;
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
        requireRecordedMetrics(runDir, summary);
        requireConsistentResults(runDir, summary);
        return new RunData(runDir, summary, stats, charts.charts(summary.verdict()), notes);
    }

    /**
     * Fails with one line when metrics.jsonl is not the file summary.json was written with: the SHA-256 of its first
     * {@code metrics_bytes} bytes must be the {@code metrics_sha256} summary.json records ({@link MetricsDigest}); a
     * running run's rows appended since do not count. A summary written before it was recorded is not checked.
     */
    private static void requireRecordedMetrics(Path runDir, RunSummary summary) {
        if (summary.metricsSha256() == null || summary.metricsBytes() == null) return;
        Path file = runDir.resolve(RunJson.METRICS_FILE);
        MetricsDigest.Mark now;
        try {
            now = MetricsDigest.prefix(file, summary.metricsBytes());
        } catch (java.io.IOException e) {
            throw new ReportInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (now == null || !now.sha256().equalsIgnoreCase(summary.metricsSha256())) {
            throw new ReportInputException(file + " is not the file summary.json was written with (" + (now == null
                    ? "it is shorter than the " + summary.metricsBytes() + " bytes recorded"
                    : "the SHA-256 of its first " + summary.metricsBytes() + " bytes differs from the one recorded")
                    + "): rows were edited, lost or added since; re-run the training");
        }
    }

    /**
     * Fails with one line when summary.json's results contradict each other: {@code train_seconds ×
     * examples_per_second} is the examples trained, which {@code iterations} minibatches of {@code batchSize} bound to
     * [iterations, iterations · batchSize] (a {@code train_seconds} of 1e308, a throughput edited by hand); counts are
     * never negative.
     */
    private static void requireConsistentResults(Path runDir, RunSummary summary) {
        RunResults r = summary.results();
        if (r == null) return;
        Path file = runDir.resolve(RunJson.SUMMARY_FILE);
        if (r.iterations() < 0 || r.epochsCompleted() < 0 || r.skippedSteps() < 0 || r.skippedNonFinite() < 0
                || r.skippedSpike() < 0 || r.skippedNonFinite() + r.skippedSpike() != r.skippedSteps()
                || r.skippedSteps() > r.iterations()) {
            throw new ReportInputException(file + ": its counts contradict each other (iterations " + r.iterations()
                    + ", epochs_completed " + r.epochsCompleted() + ", skipped_steps " + r.skippedSteps() + " = "
                    + r.skippedNonFinite() + " non-finite + " + r.skippedSpike() + " spike); it was changed by hand;"
                    + " re-run the training");
        }
        if (!Double.isFinite(r.trainSeconds()) || !Double.isFinite(r.examplesPerSecond())) return;   // shown, not healthy: see unconfirmed()
        double examples = r.trainSeconds() * r.examplesPerSecond();
        double most = (double) r.iterations() * summary.spec().training().batchSize();
        double slack = 1e-6 * Math.max(1, most);
        if (!(examples >= r.iterations() - slack && examples <= most + slack)) {
            throw new ReportInputException(file + ": train_seconds (" + r.trainSeconds() + ") × examples_per_second ("
                    + r.examplesPerSecond() + ") makes " + examples + " examples, but " + r.iterations() + " iterations of"
                    + " batch " + summary.spec().training().batchSize() + " trained between " + r.iterations() + " and " + (long) most
                    + "; it was changed by hand; re-run the training");
        }
    }

    /**
     * Why the verdict summary.json records cannot be shown as {@code healthy} (null: it can, or it is not healthy): a figure
     * the report shows is NaN or infinite (a healthy run has none), or the rows hold a non-finite loss or gradient norm,
     * which the detector would have judged (the rows disagree with the summary).
     */
    String unconfirmed() {
        if (summary.verdict() == null || !summary.verdict().healthy()) return null;
        RunResults r = summary.results();
        if (r != null) {
            java.util.Map<String, Double> shown = new java.util.LinkedHashMap<>();
            shown.put("test_accuracy", r.testAccuracy());
            shown.put("final_loss", r.finalLoss());
            shown.put("train_seconds", r.trainSeconds());
            shown.put("examples_per_second", r.examplesPerSecond());
            shown.put("max_grad_l2_global", r.maxGradL2Global());
            for (var e : shown.entrySet()) {
                if (!Double.isFinite(e.getValue())) {
                    return "summary.json records a healthy verdict, but its " + e.getKey() + " is " + e.getValue()
                            + ", which a healthy run never has: the file is damaged or was edited; re-run the training";
                }
            }
        }
        if (stats.nonFiniteLoss() > 0 || stats.nonFiniteGlobal() > 0) {
            return "summary.json records a healthy verdict, but " + RunJson.METRICS_FILE + " holds "
                    + (stats.nonFiniteLoss() > 0 ? stats.nonFiniteLoss() + " rows with a NaN or infinite loss"
                    : stats.nonFiniteGlobal() + " rows with a NaN or infinite gradient norm")
                    + ", which the detector would have judged: the files disagree; re-run the training";
        }
        return null;
    }

    /** The verdict's one word as the report shows it: {@code unconfirmed} instead of a healthy it cannot back ({@link #unconfirmed}). */
    String verdictLabel() {
        if (summary.verdict() == null) return "not recorded";
        return unconfirmed() != null ? UNCONFIRMED : summary.verdict().kind().label();
    }

    /** The label of a healthy verdict the files do not back. */
    static final String UNCONFIRMED = "unconfirmed";

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
