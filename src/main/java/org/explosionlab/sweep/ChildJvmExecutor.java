package org.explosionlab.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.training.AtomicFiles;
import org.explosionlab.training.RunSummary;
import org.explosionlab.training.Trainer;

/**
 * Trains each point in a child JVM of its own ({@code java -cp <this classpath> <mainClass> runDir
 * maxBatches resume command}, {@code OMP_NUM_THREADS=1}), which reads the point's {@code spec.json}
 * and runs {@link PointRunner}; its output goes to {@code runDir/}{@value #LOG}. Costs a JVM start and
 * ND4J load (about 2 s) and a heap per point; kept for comparison ({@code bench/sweep-workers.md}) and
 * for users who want one process per point.
 */
public final class ChildJvmExecutor implements PointExecutor {
    /** The child's stdout and stderr, in its run directory. */
    public static final String LOG = "child.log";
    private final String mainClass;
    private final List<String> jvmOptions;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /**
     * @param mainClass  a main taking {@code runDir maxBatches resume command} (the CLI's {@code SweepPointProcess})
     * @param jvmOptions extra options for each child, e.g. {@code -Xmx1g}
     */
    public ChildJvmExecutor(String mainClass, List<String> jvmOptions) {
        this.mainClass = mainClass;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public RunSummary run(SweepPoint point, Path runDir, int maxBatches, String command, boolean resume) throws Exception {
        PointRunner.createDirectories(runDir);
        if (!resume || !Files.isRegularFile(runDir.resolve(Trainer.SPEC_FILE))) {
            AtomicFiles.writeString(runDir.resolve(Trainer.SPEC_FILE), SpecJson.write(point.spec()));
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.add(runDir.toString());
        cmd.add(Integer.toString(maxBatches));
        cmd.add(Boolean.toString(resume));
        cmd.add(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(runDir.resolve(LOG).toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        running.add(p);
        try {
            int code = p.waitFor();
            if (code != 0) throw new IllegalStateException("child JVM exited with code " + code + lastLine(runDir.resolve(LOG)));
        } finally {
            running.remove(p);
        }
        return SpecJson.mapper().readValue(runDir.resolve("summary.json").toFile(), RunSummary.class);
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return ": " + lines.get(i).strip();
        } catch (IOException e) {
            // no log: the code alone says it
        }
        return "";
    }

    @Override
    public void stopAll() {
        for (Process p : running) p.destroy();
        for (Process p : running) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
