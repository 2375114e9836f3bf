package org.explosionlab.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.explosionlab.report.ReportInputException;
import org.explosionlab.report.Reports;
import org.explosionlab.run.RunLock;
import org.explosionlab.run.SafePaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report RUN_OR_SWEEP_DIR}: rebuilds report.html and the chart PNGs of a run directory,
 * or of every run of a sweep directory plus sweep.html, from the recorded files alone.
 * Exit code 0 on success; 2 with one line on stderr when the directory or its files are missing
 * or damaged, in which case no report file has been written; 1 when writing a file fails.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Rebuild the HTML report and PNG charts of a run directory, or of every run of a sweep"
                + " directory plus sweep.html, from metrics.jsonl and summary.json."})
public final class ReportCommand implements Callable<Integer> {

    /** Exit code for bad input (missing directory or files). */
    static final int EXIT_BAD_INPUT = 2;
    /** Exit code when a report file cannot be written (e.g. a read-only directory). */
    static final int EXIT_WRITE_FAILED = 1;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_OR_SWEEP_DIR",
            description = "a run directory (metrics.jsonl + summary.json) or a sweep directory (one run per sub-directory)")
    private Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> written;
        // One writer per run directory: a run still training (or another report) holds the lock. A directory
        // without a lock file was not written by a running explosion-lab, and gets none (nothing written on failure).
        try (RunLock lock = RunLock.marksRun(dir) ? RunLock.acquire(dir) : null) {
            written = Reports.rebuild(dir);
        } catch (ReportInputException | RunLock.HeldException | SafePaths.UnsafePathException e) {
            err.println(ExplosionLab.PREFIX + ExplosionLab.oneLine(e.getMessage()));
            err.flush();
            return EXIT_BAD_INPUT;
        } catch (UncheckedIOException e) {
            err.println(ExplosionLab.PREFIX + ExplosionLab.oneLine(e.getMessage()));
            err.flush();
            return EXIT_WRITE_FAILED;
        }
        for (Path p : written) {
            if (p.getFileName().toString().endsWith(".html")) {
                out.println("wrote " + SafePaths.printable(p.toString()));
            }
        }
        out.println(written.size() + " files written");
        out.flush();
        return 0;
    }
}
