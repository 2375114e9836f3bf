package org.explosionlab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.explosionlab.training.Eta;

/**
 * The one progress line of a sweep: how many points are done (and failed), what each worker trains and
 * how far it is (the last iteration its monitor recorded, reported in process through {@link #reached},
 * against the planned epochs × minibatches), the elapsed time and the sweep's ETA
 * ({@code [done 3/8, failed 0] w1 high-lr[seed=43] it 120/250 | w2 bad-init it 40/250 | elapsed 1m02s, ETA 3m10s}).
 * The ETA counts a running point by the share of its iterations done ({@link Eta#secondsLeft(double, double, double)}).
 * Thread-safe: workers report, a timer reads.
 */
final class SweepProgress {
    private final int total;
    private final long t0 = System.nanoTime();
    private final Map<Integer, Running> running = new TreeMap<>();
    private int done;
    private int failed;

    private record Running(SweepPoint point, long plannedIterations, long iterationsDone) {
    }

    SweepProgress(int total, int alreadyDone) {
        this.total = total;
        this.done = alreadyDone;
    }

    synchronized void started(int worker, SweepPoint point, long plannedIterations) {
        running.put(worker, new Running(point, plannedIterations, 0));
    }

    /** Worker {@code worker}'s monitor recorded the row of {@code iteration}. */
    synchronized void reached(int worker, long iteration) {
        Running r = running.get(worker);
        if (r != null) running.put(worker, new Running(r.point(), r.plannedIterations(), iteration + 1));
    }

    synchronized void finished(int worker, boolean ok) {
        running.remove(worker);
        done++;
        if (!ok) failed++;
    }

    synchronized int done() {
        return done;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    synchronized String line() {
        List<String> parts = new ArrayList<>();
        double progress = done;
        for (Map.Entry<Integer, Running> e : running.entrySet()) {
            Running r = e.getValue();
            long it = r.iterationsDone();
            String of = r.plannedIterations() > 0 ? "/" + r.plannedIterations() : "";
            parts.add("w" + e.getKey() + " " + r.point().label() + " it " + it + of);
            if (r.plannedIterations() > 0) progress += Math.min(1.0, (double) it / r.plannedIterations());
        }
        double elapsed = elapsedSeconds();
        return String.format(Locale.ROOT, "[done %d/%d, failed %d] %s%selapsed %s, ETA %s", done, total, failed,
                String.join(" | ", parts), parts.isEmpty() ? "" : " | ", Eta.format(elapsed),
                Eta.format(Eta.secondsLeft(elapsed, progress, total)));
    }
}
