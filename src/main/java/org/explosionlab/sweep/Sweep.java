package org.explosionlab.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.report.Reports;
import org.explosionlab.training.AtomicFiles;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.RunSummary;
import org.explosionlab.training.Trainer;

/**
 * Runs the points of a sweep one after another (two cores do not train two networks faster than one
 * after the other), each with {@link Trainer} into {@code outDir/<run>/}, prints one progress line per
 * run ({@code [k/n] name ... ETA}), writes each run's report ({@code report.html} + PNGs) when it finishes,
 * and finally writes {@code comparison.md}, {@code comparison.csv} and {@code sweep.html} into {@code outDir}.
 * Each data set is loaded once and shared by the runs that name it.
 */
public final class Sweep {
    /** File names of the comparison table in the sweep directory. */
    public static final String MARKDOWN = "comparison.md";
    public static final String CSV = "comparison.csv";

    private final PrintStream console;
    private final Function<String, MnistLikeDataset> datasets;

    /** A sweep that prints progress on {@code console} (null = silent) and loads data with {@link DatasetResolver}. */
    public Sweep(PrintStream console) {
        this(console, DatasetResolver::resolve);
    }

    public Sweep(PrintStream console, Function<String, MnistLikeDataset> datasets) {
        this.console = console;
        this.datasets = datasets;
    }

    /**
     * Runs every point.
     *
     * @param points     the runs (see {@link SweepPlan})
     * @param outDir     sweep directory, created if missing; null keeps everything in memory
     * @param maxBatches stop each epoch after this many minibatches; 0 = whole epochs
     * @param command    the command line, recorded in each run's provenance
     */
    public SweepResult run(List<SweepPoint> points, Path outDir, int maxBatches, String command) {
        Map<String, MnistLikeDataset> loaded = new HashMap<>();
        List<RunSummary> summaries = new ArrayList<>();
        List<ComparisonRow> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < points.size(); k++) {
            SweepPoint p = points.get(k);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            println(String.format(Locale.ROOT, "[%d/%d] %s   (elapsed %s, ETA %s)", k + 1, points.size(), p.label(),
                    Eta.format(elapsed), Eta.format(Eta.secondsLeft(elapsed, k, points.size()))));
            MnistLikeDataset data = loaded.computeIfAbsent(p.spec().dataset(), datasets);
            Path runDir = outDir == null ? null : createDirectories(outDir.resolve(p.dirName()));
            RunResult r = new Trainer(console).run(p.spec(), data, new RunOptions(runDir, maxBatches, 0, command));
            RunSummary s = r.summary();
            summaries.add(s);
            rows.add(ComparisonRow.of(p.label(), s));
            println(String.format(Locale.ROOT, "      test acc %.4f, verdict %s, %.1f s", s.results().testAccuracy(),
                    s.verdict().kind(), s.results().trainSeconds()));
            if (runDir != null) Reports.writeRunReport(runDir);                // report.html + PNGs, as train writes them
        }
        ComparisonTable table = new ComparisonTable(rows);
        if (outDir != null) {
            AtomicFiles.writeString(outDir.resolve(MARKDOWN), table.markdown());
            AtomicFiles.writeString(outDir.resolve(CSV), table.csv());
            Reports.writeSweepReport(outDir, points.stream().map(SweepPoint::dirName).toList());   // sweep.html, plan order
        }
        return new SweepResult(points, summaries, table, outDir);
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir, e);
        }
    }

    private void println(String line) {
        if (console != null) console.println(line);
    }
}
