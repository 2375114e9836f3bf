package org.explosionlab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one process (a child JVM of the benchmark, or a Python reference) to completion and returns its
 * standard output lines; standard error goes to a temporary file whose last lines are quoted if the
 * process fails. The thread count of a process is fixed when its native libraries load (OpenMP reads
 * {@code OMP_NUM_THREADS} once), so it is set, or removed for the libraries' defaults, in the child's
 * environment here.
 */
final class ChildProcess {
    private static final int ERROR_TAIL_LINES = 15;
    /** Thread-count variables of OpenMP, OpenBLAS and MKL: removed for "default threads", set for N threads. */
    static final List<String> THREAD_VARIABLES = List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS");

    private ChildProcess() {
    }

    /**
     * @param threads null to remove the thread-count variables (library defaults), else their value
     * @param unset   further environment variables to remove for this child only
     */
    static List<String> run(List<String> command, Integer threads, Set<String> unset) {
        Path err = null;
        try {
            err = Files.createTempFile("explosionlab-bench-", ".stderr");
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
            environment(pb.environment(), threads, unset);
            Process p = pb.start();
            p.getOutputStream().close();
            List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            int code = p.waitFor();
            if (code != 0) {
                List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - ERROR_TAIL_LINES), lines.size()));
                throw new IllegalStateException("benchmark child failed (exit " + code + "): " + shown(command)
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

    /** The command for a message: the value after {@code -cp} (hundreds of jars) shortened to its first entry. */
    static String shown(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < command.size(); i++) {
            String w = command.get(i);
            if (i > 0 && command.get(i - 1).equals("-cp") && w.contains(java.io.File.pathSeparator)) {
                w = w.substring(0, w.indexOf(java.io.File.pathSeparatorChar)) + java.io.File.pathSeparator + "...";
            } else if (w.contains("\n")) {
                w = "'" + w.lines().findFirst().orElse("") + " ...'";
            }
            sb.append(i == 0 ? "" : " ").append(w);
        }
        return sb.toString();
    }

    /** Sets or removes the thread variables and removes {@code unset} in a child's environment. */
    static void environment(Map<String, String> env, Integer threads, Set<String> unset) {
        for (String v : THREAD_VARIABLES) {
            if (threads == null) env.remove(v);
            else env.put(v, Integer.toString(threads));
        }
        unset.forEach(env::remove);
    }
}
