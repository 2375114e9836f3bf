package org.explosionlab.cli;

import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.training.Eta;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A one-line progress bar for an interactive terminal, redrawn in place (carriage return) at most
 * every {@value #REDRAW_MS} ms: epoch, iteration, examples/s, current global gradient norm and ETA.
 * When output is not a terminal (CI, pipes), {@link ConsoleLine} prints plain periodic lines instead.
 */
final class ProgressBar implements Consumer<IterationMetrics> {
    private static final long REDRAW_MS = 200;
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final long totalIterations;
    private final int epochs;
    private final int batchSize;
    private final long start = System.nanoTime();
    private long firstIteration = -1;
    private long lastDraw;

    ProgressBar(PrintStream out, long totalIterations, int epochs, int batchSize) {
        this.out = out;
        this.totalIterations = totalIterations;
        this.epochs = epochs;
        this.batchSize = batchSize;
    }

    /** True when standard output is an interactive terminal. */
    static boolean interactive() {
        return System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public void accept(IterationMetrics m) {
        if (firstIteration < 0) firstIteration = m.iteration();
        long now = System.nanoTime();
        boolean last = m.iteration() + 1 >= totalIterations;
        if (!last && (now - lastDraw) / 1_000_000 < REDRAW_MS) return;
        lastDraw = now;
        out.print('\r' + line(m, (now - start) / 1e9) + (last ? "\n" : ""));
        out.flush();
    }

    String line(IterationMetrics m, double seconds) {
        long done = m.iteration() + 1;
        double fraction = Math.min(1.0, done / (double) Math.max(1, totalIterations));
        int filled = (int) Math.round(fraction * WIDTH);
        double rate = (done - firstIteration) / Math.max(seconds, 1e-9);
        long eta = Math.round(Eta.secondsLeft(seconds, done - firstIteration, totalIterations - firstIteration));
        return String.format(Locale.ROOT, "epoch %d/%d [%s%s] iter %d/%d  %,.0f ex/s  |g| %.3g  ETA %d:%02d ",
                m.epoch() + 1, epochs, "#".repeat(filled), ".".repeat(WIDTH - filled), done, totalIterations,
                rate * batchSize, m.gradL2Global(), eta / 60, eta % 60);
    }
}
