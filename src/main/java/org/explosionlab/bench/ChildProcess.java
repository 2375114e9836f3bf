package org.explosionlab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one process to completion and returns its standard output lines; standard error goes to a
 * temporary file whose last lines are quoted if the process fails.
 */
final class ChildProcess {
    private static final int ERROR_TAIL_LINES = 15;
    /** Thread-count variables of OpenMP, OpenBLAS and MKL: removed for "default threads", set for one thread. */
    static final List<String> THREAD_VARIABLES = List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS");

    private ChildProcess() {
    }

    /**
     * @param threads null to remove the thread-count variables (library defaults), else their value
     */
    static List<String> run(List<String> command, Integer threads) {
        Path err = null;
        try {
            err = Files.createTempFile("explosionlab-bench-", ".stderr");
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            for (String v : THREAD_VARIABLES) {
                if (threads == null) env.remove(v);
                else env.put(v, Integer.toString(threads));
            }
            Process p = pb.start();
            p.getOutputStream().close();
            List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            int code = p.waitFor();
            if (code != 0) {
                List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - ERROR_TAIL_LINES), lines.size()));
                throw new IllegalStateException("benchmark child failed (exit " + code + "): " + String.join(" ", command)
                        + "\n" + tail);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + command.get(0), e);
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
