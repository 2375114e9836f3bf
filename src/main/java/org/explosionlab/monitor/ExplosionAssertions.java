package org.explosionlab.monitor;

import org.explosionlab.detection.Verdict;

/**
 * One-line assertions for a user's regression test (JUnit 4 or 5, TestNG: they throw {@link AssertionError}):
 * <pre>
 * ExplosionMonitor monitor = ExplosionMonitor.attach(net);
 * net.fit(trainIter, 2);
 * ExplosionAssertions.assertHealthy(monitor);
 * </pre>
 * The failure message says the verdict's kind, its first event (iteration, layer, trigger figures) and the
 * advice, e.g. {@code expected a healthy run, but: verdict explosion over 500 recorded iterations; first event:
 * explosion at iteration 0 in layer 5 (OutputLayer), trigger {global_norm=4.8e+05, ...}. The run failed by ...}.
 * A monitor that recorded nothing ({@code no_data}: removed by {@code setListeners}), that missed iterations
 * ({@code unwatched}) or whose run was too short ({@code too_short}) fails {@code assertHealthy} too.
 */
public final class ExplosionAssertions {
    private ExplosionAssertions() {
    }

    /** Fails unless the run is {@link Verdict.Kind#HEALTHY}. */
    public static void assertHealthy(ExplosionMonitor monitor) {
        assertHealthy(monitor.verdict());
    }

    /** Fails unless the run is healthy, judged with its final test accuracy in [0, 1]. */
    public static void assertHealthy(ExplosionMonitor monitor, double testAccuracy) {
        assertHealthy(monitor.verdict(testAccuracy));
    }

    /** Fails unless the verdict is {@link Verdict.Kind#HEALTHY}. */
    public static void assertHealthy(Verdict verdict) {
        if (!verdict.healthy()) throw new AssertionError("expected a healthy run, but: " + verdict.summary());
    }

    /** Fails unless the run is healthy or recovered from every explosion (it trains, a spike came and went). */
    public static void assertTrains(ExplosionMonitor monitor) {
        Verdict v = monitor.verdict();
        if (v.kind() != Verdict.Kind.HEALTHY && v.kind() != Verdict.Kind.RECOVERED) {
            throw new AssertionError("expected a run that trains (healthy or recovered), but: " + v.summary());
        }
    }

    /** Fails unless the verdict is of {@code kind} (e.g. a test that a bad configuration is caught). */
    public static void assertVerdict(ExplosionMonitor monitor, Verdict.Kind kind) {
        Verdict v = monitor.verdict();
        if (v.kind() != kind) throw new AssertionError("expected verdict " + kind.label() + ", but: " + v.summary());
    }
}
