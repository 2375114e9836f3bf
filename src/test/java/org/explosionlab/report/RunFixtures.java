package org.explosionlab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.explosionlab.detection.EpochAggregates;
import org.explosionlab.spec.EventKind;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.Verdict;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.monitor.MetricsJsonlWriter;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.Provenance;
import org.explosionlab.training.RunResults;
import org.explosionlab.training.RunSummary;

/**
 * Small run directories "for testing the machinery rather than accuracy": the records training
 * writes ({@link IterationMetrics}, {@link RunSummary}), built from simple formulas and written by the
 * writers training uses ({@link MetricsJsonlWriter}, {@link SpecJson#mapper()}), so the numbers a
 * test checks can be worked out by hand. Real training output is covered by the end-to-end tests.
 */
public final class RunFixtures {

    private RunFixtures() {
    }

    /** How one fixture row looks. */
    public record Row(long iteration, int epoch, double loss, double lr, double global, double globalClipped,
            Double threshold, double[] layers, double ratioW, double ratioB, double biasL2) {
    }

    /** The IterationMetrics training would record for {@code r}: three layers, parameters 0_W … 2_b. */
    static IterationMetrics metrics(Row r) {
        Map<String, Double> ratio = new LinkedHashMap<>();
        Map<String, Double> paramL2 = new LinkedHashMap<>();
        Map<String, Double> gradParam = new LinkedHashMap<>();
        for (int layer = 0; layer < 3; layer++) {
            ratio.put(layer + "_W", r.ratioW());
            ratio.put(layer + "_b", r.ratioB());
            paramL2.put(layer + "_W", 9.0);
            paramL2.put(layer + "_b", r.biasL2());
            gradParam.put(layer + "_W", r.layers()[layer]);
            gradParam.put(layer + "_b", 0.1);
        }
        long nonFinite = Double.isFinite(r.global()) ? 0 : 1;
        return new IterationMetrics(r.iteration(), r.epoch(), r.loss(), r.loss(), 0.0, 0.5, r.lr(), r.global(),
                r.globalClipped(), r.layers(), r.layers(), gradParam, gradParam, 0.09, 0.09, nonFinite,
                r.globalClipped() != r.global(), false, null, r.threshold(), ratio, ratio, ratio, paramL2, null, null, null);
    }

    /** {@code rows} healthy rows: loss 2.3 → 0.3, ‖g‖ ≈ 1, ratios 1e-3 (W) and 2e-3 (b), biases 0 at iteration 0. */
    public static List<Row> healthyRows(int rows, int perEpoch) {
        List<Row> list = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double g = 1 + 0.2 * Math.sin(i);
            list.add(new Row(i, i / perEpoch, 2.3 - 2.0 * i / rows, 0.001, g, g, null,
                    new double[] {0.8 * g, 0.5 * g, 0.3 * g}, 1e-3, i == 0 ? Double.POSITIVE_INFINITY : 2e-3,
                    i == 0 ? 0.0 : 0.05));
        }
        return list;
    }

    /** Writes metrics.jsonl (through {@link MetricsJsonlWriter}) and summary.json (through {@link SpecJson#mapper()}). */
    public static Path write(Path dir, List<Row> rows, ExperimentSpec spec, List<ExplosionEvent> events) throws IOException {
        Files.createDirectories(dir);
        try (MetricsJsonlWriter out = new MetricsJsonlWriter(dir.resolve("metrics.jsonl"))) {
            rows.forEach(r -> out.accept(metrics(r)));
        }
        List<EpochAggregates> epochs = new ArrayList<>();
        int lastEpoch = rows.isEmpty() ? -1 : rows.get(rows.size() - 1).epoch();
        for (int e = 0; e <= lastEpoch; e++) {
            int epoch = e;
            long n = rows.stream().filter(r -> r.epoch() == epoch).count();
            epochs.add(new EpochAggregates(e, n, 1.0, 1.2, 1.2, 0.0, 0, 0, 1.0));
        }
        Row last = rows.get(rows.size() - 1);
        RunResults results = new RunResults(0.91, 2.5, rows.size() * (double) spec.training().batchSize() / 2.5, rows.size(), lastEpoch + 1, false, null, last.loss(),
                rows.stream().mapToDouble(Row::global).max().orElse(Double.NaN), 0, 0, 0, 300);
        Provenance provenance = new Provenance(Provenance.DL4J_VERSION, "17", "Linux", 2, "1", spec.training().seed(),
                spec.training().dataset(), "embedded", 1000, 200, Map.of(), 0, "2026-01-01T00:00:00Z", "2026-01-01T00:00:03Z",
                "test");
        RunSummary summary = new RunSummary(spec, provenance, results, epochs, new Verdict(events));
        Files.writeString(dir.resolve("summary.json"), SpecJson.mapper().writeValueAsString(summary));
        return dir;
    }

    /** A healthy seed-baseline run of {@code epochs} epochs of 10 rows. */
    public static Path healthy(Path dir, int epochs) throws IOException {
        ExperimentSpec spec = SpecOverrides.with(Presets.load("seed-baseline"), "epochs", epochs);
        return write(dir, healthyRows(10 * epochs, 10), spec, List.of());
    }

    /** A bad-init run whose norm jumps to 500 at iteration 0 and 5e4 at 12, flagged at both. */
    public static Path exploding(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Row r : healthyRows(30, 10)) {
            double g = r.iteration() == 0 ? 500 : r.iteration() == 12 ? 5e4 : r.global();
            rows.add(new Row(r.iteration(), r.epoch(), r.loss(), 0.1, g, g, null, r.layers(), r.ratioW(), r.ratioB(),
                    r.biasL2()));
        }
        List<ExplosionEvent> events = List.of(
                new ExplosionEvent(EventKind.EXPLOSION, 0, 0, 0, 2, Map.of("grad_l2_global", 500.0), "norm above the ceiling"),
                new ExplosionEvent(EventKind.EXPLOSION, 12, 1, 1, 1, Map.of("grad_l2_global", 5e4), "norm above the ceiling"));
        return write(dir, rows, SpecOverrides.with(Presets.load("bad-init"), "epochs", 3), events);
    }

    /** bad-init clipped by global norm at 1: before ≈ 300, after = the threshold = 1. */
    public static Path clipped(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Row r : healthyRows(30, 10)) {
            rows.add(new Row(r.iteration(), r.epoch(), r.loss(), 0.1, 300 + r.iteration(), 1.0, 1.0, r.layers(),
                    r.ratioW(), r.ratioB(), r.biasL2()));
        }
        return write(dir, rows, SpecOverrides.with(Presets.load("bad-init-clip-global"), "epochs", 3), List.of());
    }
}
