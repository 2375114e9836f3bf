package org.explosionlab.walkthrough;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.explosionlab.spec.Presets;
import org.explosionlab.sweep.ComparisonRow;
import org.explosionlab.sweep.Sweep;
import org.explosionlab.sweep.SweepPlan;
import org.explosionlab.sweep.SweepResult;

/**
 * Step 5, "remedies": {@code bad-init} and every one of its remedy presets ({@code bad-init-<remedy>}:
 * clipping by global norm, per-layer L2 clipping, element-wise value clipping, AGC, AutoClip, He init,
 * a decaying learning rate, a max-norm constraint) trained the same way, compared by verdict and test
 * accuracy. By default one epoch each.
 */
public final class W5Remedies {
    /** The scenario whose remedies are compared. */
    public static final String SCENARIO = "bad-init";

    private W5Remedies() {
    }

    /** The comparison rows, the untreated scenario first. */
    public record Result(List<ComparisonRow> rows) {
        public ComparisonRow row(String run) {
            return rows.stream().filter(r -> r.run().equals(run)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row for " + run));
        }
    }

    /** {@code bad-init} followed by its remedy presets, in the presets index's order. */
    public static List<String> presets() {
        List<String> names = new ArrayList<>();
        names.add(SCENARIO);
        Presets.names().stream().filter(n -> n.startsWith(SCENARIO + "-")).forEach(names::add);
        return names;
    }

    public static void main(String... args) {
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs a = WalkthroughArgs.parse(args, 0, 1);
        List<String> names = presets();
        System.out.println("training " + names.size() + " runs for " + a.describe() + " each ...");
        SweepResult sweep = new Sweep(null).run(SweepPlan.presets(names, List.of("epochs=" + a.epochs())), null,
                a.maxBatches(), "W5Remedies");
        Result r = new Result(sweep.table().rows());
        System.out.printf(Locale.ROOT, "%-24s %-10s %9s%n", "run", "verdict", "test acc");
        for (ComparisonRow row : r.rows()) {
            System.out.printf(Locale.ROOT, "%-24s %-10s %9.4f%n", row.run(), row.verdict(), row.testAccuracy());
        }
        List<String> failed = r.rows().stream().skip(1).filter(row -> !"healthy".equals(row.verdict())).map(ComparisonRow::run).toList();
        ComparisonRow untreated = r.rows().get(0);
        String start = untreated.firstEventIteration() == null ? "the untreated run raised no event in this short run"
                : "the untreated run explodes at iteration " + untreated.firstEventIteration();
        System.out.println("Notice: " + start + "; " + (r.rows().size() - 1 - failed.size()) + " of "
                + (r.rows().size() - 1) + " remedies keep the gradient the optimizer uses below the explosion range and let the network train."
                + (failed.isEmpty() ? "" : " Still exploding: " + String.join(", ", failed) + " (see their descriptions: they act after the fatal first step).")
                + " Only He init removes the cause; the others limit each step or the weights a step leaves behind.");
        return r;
    }
}
