package org.explosionlab.cli;

import org.explosionlab.monitor.IterationMetrics;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/** A compact console line every N recorded iterations: iteration, epoch, loss, global norm before/after clipping, lr. */
final class ConsoleLine implements Consumer<IterationMetrics> {
    private final PrintStream out;
    private final int every;

    ConsoleLine(PrintStream out, int every) {
        this.out = out;
        this.every = every;
    }

    @Override
    public void accept(IterationMetrics m) {
        if (m.iteration() % every != 0) return;
        out.println(String.format(Locale.ROOT, "  iter %6d  epoch %2d  loss %9.4f  |g| %10.4g  |g|clip %10.4g  lr %.3g%s%s",
                m.iteration(), m.epoch(), m.loss(), m.gradL2Global(), m.gradL2GlobalClipped(), m.lr(),
                m.clipped() ? "  clipped" : "", m.gradNonFinite() > 0 ? "  NON-FINITE x" + m.gradNonFinite() : ""));
    }
}
