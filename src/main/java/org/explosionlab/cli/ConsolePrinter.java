package org.explosionlab.cli;

import java.io.PrintStream;
import java.util.function.Consumer;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.TextLines;
import org.explosionlab.detection.Warning;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.training.TrainingConsole;

/**
 * A training run's console for people: a progress bar on an interactive terminal ({@link ProgressBar}), else a
 * line every {@code consoleEvery} iterations ({@link ConsoleLine}), and one line per event ({@code !}) and
 * early warning ({@code ?}).
 */
final class ConsolePrinter implements TrainingConsole {
    private final PrintStream out;

    ConsolePrinter(PrintStream out) {
        this.out = out;
    }

    /** Standard output. */
    static ConsolePrinter stdout() {
        return new ConsolePrinter(System.out);
    }

    @Override
    public Consumer<IterationMetrics> progress(int consoleEvery, long totalIterations, int epochs, int batchSize) {
        return ProgressBar.interactive() && out == System.out
                ? new ProgressBar(out, totalIterations, epochs, batchSize)
                : new ConsoleLine(out, consoleEvery);
    }

    @Override
    public void event(ExplosionEvent e) {
        out.println(TextLines.wrap("  ! " + e.message(), "    "));      // the message names the kind and iteration
    }

    @Override
    public void warning(Warning w) {
        out.println(TextLines.wrap("  ? " + w.message(), "    "));
    }
}
