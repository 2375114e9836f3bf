package org.explosionlab.sweep;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one progress line of a sweep: how many points are done (and failed), what each worker trains and
 * how far it is (the last iteration in its {@code metrics.jsonl}, against the planned epochs ×
 * minibatches), the elapsed time and the sweep's ETA
 * ({@code [done 3/8, failed 0] w1 high-lr[seed=43] it 120/250 | w2 bad-init it 40/250 | elapsed 1m02s, ETA 3m10s}).
 * The ETA counts a running point by the share of its iterations done ({@link Eta#secondsLeft(double, double, int)}).
 * Thread-safe: workers report, a timer reads.
 */
final class SweepProgress {
    private static final Pattern ITERATION = Pattern.compile("\"iteration\":(\\d+)");
    private final int total;
    private final long t0 = System.nanoTime();
    private final Map<Integer, Running> running = new TreeMap<>();
    private int done;
    private int failed;

    private record Running(SweepPoint point, Path runDir, long plannedIterations) {
    }

    SweepProgress(int total, int alreadyDone) {
        this.total = total;
        this.done = alreadyDone;
    }

    synchronized void started(int worker, SweepPoint point, Path runDir, long plannedIterations) {
        running.put(worker, new Running(point, runDir, plannedIterations));
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
            long it = lastIteration(r.runDir()) + 1;
            String of = r.plannedIterations() > 0 ? "/" + r.plannedIterations() : "";
            parts.add("w" + e.getKey() + " " + r.point().label() + " it " + it + of);
            if (r.plannedIterations() > 0) progress += Math.min(1.0, (double) it / r.plannedIterations());
        }
        double elapsed = elapsedSeconds();
        return String.format(Locale.ROOT, "[done %d/%d, failed %d] %s%selapsed %s, ETA %s", done, total, failed,
                String.join(" | ", parts), parts.isEmpty() ? "" : " | ", Eta.format(elapsed),
                Eta.format(Eta.secondsLeft(elapsed, progress, total)));
    }

    /** The iteration of the last complete line of {@code runDir/metrics.jsonl} (reads its last 4 KiB); -1 if none yet. */
    static long lastIteration(Path runDir) {
        if (runDir == null) return -1;
        try (RandomAccessFile f = new RandomAccessFile(runDir.resolve("metrics.jsonl").toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 4096);
            byte[] tail = new byte[n];
            f.seek(len - n);
            f.readFully(tail);
            String text = new String(tail, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) return -1;
            int start = text.lastIndexOf('\n', end - 1) + 1;
            Matcher m = ITERATION.matcher(text.substring(start, end));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;          // not written yet
        }
    }
}
