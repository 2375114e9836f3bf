package org.explosionlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A plain program in a child JVM of the test's own Java, one OpenMP thread, output and errors captured together. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Runs {@code java -Xmx1g -cp classpath mainClass args...}, waits at most 120 s, and asserts it ended with exit code 0.
     *
     * @return everything the child printed
     */
    public static String run(String classpath, String mainClass, List<String> args) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", classpath, mainClass));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        reader.join(10_000);
        String text = output.toString(StandardCharsets.UTF_8);
        assertTrue(ended, "the child JVM did not end within 120 s:\n" + text);
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + text);
        return text;
    }
}
