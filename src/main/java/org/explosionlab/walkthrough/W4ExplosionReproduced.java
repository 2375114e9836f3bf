package org.explosionlab.walkthrough;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.explosionlab.detection.Verdict;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.sweep.Sweep;
import org.explosionlab.sweep.SweepPlan;
import org.explosionlab.sweep.SweepPoint;
import org.explosionlab.sweep.SweepResult;
import org.explosionlab.training.RunSummary;

/**
 * Step 4, "reproduce the explosion": the two causes the tutorial names, each as a preset —
 * {@code bad-init} (weights drawn far too large) and {@code high-lr} (steps far too long) — trained
 * with the detector watching, next to the healthy {@code seed-baseline}. By default one epoch: both
 * blow up within it ({@code bad-init} at iteration 0, {@code high-lr} at iteration 212 of 250).
 */
public final class W4ExplosionReproduced {
    /** The presets compared, the healthy one first. */
    public static final List<String> PRESETS = List.of("seed-baseline", "bad-init", "high-lr");

    private W4ExplosionReproduced() {
    }

    /**
     * One run's outcome.
     *
     * @param preset         preset name
     * @param verdict        detector verdict kind (healthy, explosion, nonfinite, collapse)
     * @param firstIteration iteration of the first event, null when healthy
     * @param maxGradNorm    largest raw global gradient norm (NaN once it was non-finite)
     * @param testAccuracy   test accuracy after training
     */
    public record Row(String preset, String verdict, Long firstIteration, double maxGradNorm, double testAccuracy) {
        public boolean healthy() {
            return Verdict.HEALTHY.equals(verdict);
        }
    }

    public record Result(List<Row> rows) {
        public Row row(String preset) {
            return rows.stream().filter(r -> r.preset().equals(preset)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row for " + preset));
        }
    }

    public static void main(String... args) {
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs a = WalkthroughArgs.parse(args, 0, 1);
        System.out.println("training " + String.join(", ", PRESETS) + " for " + a.describe() + " each ...");
        List<SweepPoint> points = SweepPlan.presets(PRESETS, List.of("epochs=" + a.epochs()));
        SweepResult sweep = new Sweep(null).run(points, null, a.maxBatches(), "W4ExplosionReproduced");
        List<Row> rows = new ArrayList<>();
        for (RunSummary s : sweep.summaries()) {
            rows.add(new Row(s.spec().name(), s.verdict().kind(), s.verdict().firstIteration(),
                    s.results().maxGradL2Global(), s.results().testAccuracy()));
        }
        Result r = new Result(rows);
        print(r);
        return r;
    }

    private static void print(Result r) {
        System.out.printf(Locale.ROOT, "%-14s %-10s %12s %12s %9s%n", "preset", "verdict", "first event", "max |g|", "test acc");
        for (Row row : r.rows()) {
            System.out.printf(Locale.ROOT, "%-14s %-10s %12s %12.4g %9.4f%n", row.preset(), row.verdict(),
                    row.firstIteration() == null ? "-" : "iter " + row.firstIteration(), row.maxGradNorm(), row.testAccuracy());
        }
        for (String p : PRESETS) System.out.println("  " + p + ": " + Presets.load(p).description());
        Row base = r.row("seed-baseline");
        System.out.println("Notice:");
        for (Row row : r.rows()) {
            if (row == base) {
                System.out.printf(Locale.ROOT, "  %s: largest gradient norm %.3g, no event.%n", row.preset(), row.maxGradNorm());
            } else if (!row.healthy()) {
                System.out.printf(Locale.ROOT, "  %s: %s at iteration %d, largest norm %.3g = %.0fx the baseline's.%n", row.preset(),
                        row.verdict(), row.firstIteration(), row.maxGradNorm(), row.maxGradNorm() / base.maxGradNorm());
            } else {
                System.out.printf(Locale.ROOT, "  %s: no blow-up detected yet, but accuracy %.2f against the baseline's %.2f: the long steps"
                        + " throw ReLUs away without a visible spike (train longer, e.g. --epochs 5, and the detector catches a late spike).%n",
                        row.preset(), row.testAccuracy(), base.testAccuracy());
            }
        }
    }
}
