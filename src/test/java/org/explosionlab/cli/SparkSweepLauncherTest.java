package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.report.SweepReport;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.explosionlab.sweep.Sweep;
import org.explosionlab.training.RuntimeTuning;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep --spark-master}: a small plan on Spark {@code local[2]} writes the same run files as the
 * local sweep of the same plan (the independent path: one point after another in this thread), and
 * a bad master URL, a JVM without Spark and a JVM without Spark's --add-opens each fail with one line,
 * exit 2 and nothing on disk.
 */
class SparkSweepLauncherTest {
    /** Three points that end three ways at 8 batches: healthy, exploded at iteration 0, rescued by clipping. */
    private static final String PRESETS = "seed-baseline,bad-init,bad-init-clip-global";
    private static final String MAX_BATCHES = "8";
    /** Provenance and timing fields that differ between any two runs of the same spec. */
    /** What differs between the two sweeps besides the training: the clock, and the command as run (its --out, --spark-master). */
    private static final List<String> WALL_CLOCK = List.of("provenance/started", "provenance/finished", "results/train_seconds",
            "results/examples_per_second", "results/peak_rss_mib", "provenance/command");
    /**
     * update_param_ratio is mean|Δθ| / mean|θ|, both sums from OpenBLAS's cblas_sasum; the same floats summed in
     * another JVM (other buffer addresses, other SIMD head/tail split) differ in the last float digits, while
     * everything from cblas_sdot, the losses and the parameters are bit-identical. Observed: below 2e-7 relative.
     */
    private static final double SASUM_RELATIVE = 1e-6;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String uiBefore;

    @BeforeAll
    static void quietSpark() {
        RuntimeTuning.applyDefaults();
        uiBefore = System.setProperty("spark.ui.enabled", "false");   // no port 4040 taken during tests
    }

    @AfterAll
    static void restore() {
        if (uiBefore == null) System.clearProperty("spark.ui.enabled");
        else System.setProperty("spark.ui.enabled", uiBefore);
    }

    @Test
    void sparkLocal2WritesTheSameRunsAsTheLocalSweep(@TempDir Path tmp) throws IOException {
        Path local = tmp.resolve("local");
        Path spark = tmp.resolve("spark");
        assertEquals(0, ExplosionLab.execute("sweep", "--presets", PRESETS, "--epochs", "1", "--max-batches", MAX_BATCHES,
                "--out", local.toString()));
        assertEquals(0, ExplosionLab.execute("sweep", "--presets", PRESETS, "--epochs", "1", "--max-batches", MAX_BATCHES,
                "--spark-master", "local[2]", "--out", spark.toString()));
        for (String run : PRESETS.split(",")) {
            Path a = local.resolve(run);
            Path b = spark.resolve(run);
            assertEquals(Files.readString(a.resolve("spec.json")), Files.readString(b.resolve("spec.json")), run);
            assertParamsBitIdentical(a.resolve("model.zip"), b.resolve("model.zip"), run);
            List<String> la = Files.readAllLines(a.resolve("metrics.jsonl"));
            List<String> lb = Files.readAllLines(b.resolve("metrics.jsonl"));
            assertEquals(Integer.parseInt(MAX_BATCHES), la.size(), run + ": one row per step");
            assertEquals(la.size(), lb.size(), run);
            for (int i = 0; i < la.size(); i++) assertSameRow(JSON.readTree(la.get(i)), JSON.readTree(lb.get(i)), run + " row " + i);
            JsonNode sa = JSON.readTree(a.resolve("summary.json").toFile());
            JsonNode sb = JSON.readTree(b.resolve("summary.json").toFile());
            assertEquals(withoutWallClock(sa), withoutWallClock(sb), run + " summary.json");
            assertFalse(Files.exists(b.resolve("checkpoint.zip")), run);
        }
        assertEquals("explosion", JSON.readTree(spark.resolve("bad-init/summary.json").toFile()).at("/verdict/kind").asText());
        assertEquals(withoutSeconds(local.resolve(Sweep.CSV)), withoutSeconds(spark.resolve(Sweep.CSV)));
        assertTrue(Files.size(spark.resolve(SweepReport.HTML_FILE)) > 0);
    }

    private static void assertParamsBitIdentical(Path a, Path b, String run) throws IOException {
        MultiLayerNetwork na = ModelSerializer.restoreMultiLayerNetwork(a.toFile(), true);
        MultiLayerNetwork nb = ModelSerializer.restoreMultiLayerNetwork(b.toFile(), true);
        // Arrays.equals on float[] compares bit patterns (Float.floatToIntBits), NaN included
        assertTrue(Arrays.equals(na.params().toFloatVector(), nb.params().toFloatVector()), run + ": final parameters differ");
        INDArray state = na.getUpdater().getStateViewArray();     // null for plain SGD
        INDArray stateB = nb.getUpdater().getStateViewArray();
        assertEquals(state == null, stateB == null, run);
        if (state != null) assertTrue(Arrays.equals(state.toFloatVector(), stateB.toFloatVector()), run + ": optimizer state differs");
    }

    /** Every field equal (numbers by their printed value), update_param_ratio to {@link #SASUM_RELATIVE}. */
    private static void assertSameRow(JsonNode a, JsonNode b, String where) {
        List<String> names = new ArrayList<>();
        a.fieldNames().forEachRemaining(names::add);
        List<String> namesB = new ArrayList<>();
        b.fieldNames().forEachRemaining(namesB::add);
        assertEquals(names, namesB, where);
        for (String f : names) {
            if (!f.equals("update_param_ratio")) {
                assertEquals(a.get(f), b.get(f), where + " " + f);
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.get(f).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(f).get(e.getKey());
                if (!e.getValue().isNumber()) {
                    assertEquals(e.getValue(), other, where + " " + f + " " + e.getKey());   // "Infinity" for a zero bias
                    continue;
                }
                double x = e.getValue().asDouble();
                assertEquals(x, other.asDouble(), SASUM_RELATIVE * Math.abs(x), where + " " + f + " " + e.getKey());
            }
        }
    }

    private static JsonNode withoutWallClock(JsonNode summary) {
        ObjectNode copy = summary.deepCopy();
        for (String path : WALL_CLOCK) {
            String[] parts = path.split("/");
            ((ObjectNode) copy.get(parts[0])).remove(parts[1]);
        }
        return copy;
    }

    /** comparison.csv without its last column (training seconds). */
    private static List<String> withoutSeconds(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int seconds = List.of(lines.get(0).split(",", -1)).indexOf("train_seconds");    // wall time: the one column that may differ
        return lines.stream().map(l -> {
            List<String> cells = new ArrayList<>(List.of(l.split(",", -1)));
            if (seconds >= 0 && seconds < cells.size()) cells.remove(seconds);
            return String.join(",", cells);
        }).toList();
    }

    @Test
    void badMasterUrlIsOneLineAndLeavesNothing(@TempDir Path tmp) {
        Path out = tmp.resolve("sweep");
        StringWriter err = new StringWriter();
        int code = ExplosionLab.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "sweep", "--presets", "seed-baseline",
                "--max-batches", "2", "--spark-master", "sparkk://nowhere:7077", "--out", out.toString());
        assertEquals(ExplosionLab.EXIT_BAD_INPUT, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("explosion-lab: --spark-master sparkk://nowhere:7077: Spark cannot start a driver on it"
                + " (Could not parse Master URL: 'sparkk://nowhere:7077'); use local[N]"), err.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void withoutSparkOnTheClasspathIsOneLine(@TempDir Path tmp) throws Exception {
        String noSpark = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains(File.separator + "org" + File.separator + "apache" + File.separator + "spark" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
        Child c = child(tmp, List.of("-cp", noSpark));
        assertEquals(ExplosionLab.EXIT_BAD_INPUT, c.code(), c.stderr());
        assertEquals(List.of("explosion-lab: --spark-master needs Apache Spark on the classpath and it is not there;"
                + " run through spark-submit, or add Spark's jars (SPARK_HOME=DIR target/explosion-lab ...,"
                + " or mvn exec:exec -Dexec.classpathScope=compile; see README, Spark)"), c.stderr().lines().toList());
        assertFalse(Files.exists(tmp.resolve("sweep")));
    }

    @Test
    void withoutAddOpensIsOneLine(@TempDir Path tmp) throws Exception {
        Child c = child(tmp, List.of("-cp", System.getProperty("java.class.path")));
        assertEquals(ExplosionLab.EXIT_BAD_INPUT, c.code(), c.stderr());
        assertEquals(List.of("explosion-lab: Spark on Java 17 needs java --add-opens=java.base/java.lang=ALL-UNNAMED (and the other 13"
                + " --add-opens in the README, Spark section); 14 of them are missing in this JVM"), c.stderr().lines().toList());
        assertFalse(Files.exists(tmp.resolve("sweep")));
    }

    private record Child(int code, String stderr) {
    }

    /** {@code sweep --spark-master local[2]} in a child JVM started with {@code jvmArgs} (and no --add-opens). */
    private static Child child(Path tmp, List<String> jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of(ExplosionLab.class.getName(), "sweep", "--presets", "seed-baseline", "--max-batches", "2",
                "--spark-master", "local[2]", "--out", tmp.resolve("sweep").toString()));
        Path stderr = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        return new Child(p.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
