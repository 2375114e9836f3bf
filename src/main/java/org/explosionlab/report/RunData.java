package org.explosionlab.report;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything recorded about one run, read from its directory.
 *
 * @param dir     the run directory
 * @param metrics the rows of metrics.jsonl
 * @param summary summary.json
 */
public record RunData(Path dir, MetricsLog metrics, RunSummary summary) {

    /** Reads metrics.jsonl and summary.json from {@code runDir}; both must exist. */
    public static RunData load(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new ReportInputException(runDir + " is not a directory — give a run directory"
                    + " (holding metrics.jsonl and summary.json) or a sweep directory");
        }
        if (!Files.exists(runDir.resolve(MetricsLog.FILE_NAME)) && !Files.exists(runDir.resolve(RunSummary.FILE_NAME))) {
            throw new ReportInputException(runDir + " holds neither " + MetricsLog.FILE_NAME + " nor "
                    + RunSummary.FILE_NAME + " — give a run directory written by the train command");
        }
        RunSummary summary = RunSummary.read(runDir);
        MetricsLog metrics = MetricsLog.read(runDir);
        return new RunData(runDir, metrics, summary);
    }

    /** True when {@code dir} holds both run files. */
    public static boolean isRunDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(MetricsLog.FILE_NAME))
                && Files.isRegularFile(dir.resolve(RunSummary.FILE_NAME));
    }

    /** The run's name: its directory's name. */
    public String name() {
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        return fileName == null ? dir.toString() : fileName.toString();
    }
}
