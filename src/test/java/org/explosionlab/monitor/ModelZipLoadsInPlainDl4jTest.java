package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.monitor.Remedies;
import org.explosionlab.run.RunFiles;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A {@code model.zip} of a network trained with this project's {@link HookedUpdater} (a remedy plus DL4J's
 * {@code GradientNormalization}) loads in a plain DL4J program that does not have this project's classes:
 * a child JVM whose classpath is the test classpath minus this project's {@code target/classes} and
 * {@code target/test-classes} (DL4J and its dependencies only) runs a main class compiled here from
 * source, outside this project's packages, that calls {@code ModelSerializer.restoreMultiLayerNetwork(file,
 * true)}, runs {@code output} on a zero input and prints what it found. Its numbers must match this
 * JVM's: the live network's (hand-built, monitored net saved with {@code writeModel(net, file, true)}) or
 * this JVM's restore of the CLI path's {@code model.zip} ({@code Trainer.run} with
 * {@code clipping=global_l2} and {@code gradientNormalization=ClipL2PerLayer}). Printed and compared:
 * numParams, Σθ, the output's sum and its weighted sum Σ_j (j+1)·out_j (a softmax sums to 1 whatever the
 * weights, so the sum alone proves little), the updater state's length and sum (the Adam moments were
 * saved and restored), the restored updater's class (DL4J's own), and that the project's classes are not
 * visible in the child.
 */
class ModelZipLoadsInPlainDl4jTest {
    private static final String MAIN = "PlainDl4jLoad";
    private static final String SOURCE = """
            import java.io.File;
            import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
            import org.deeplearning4j.util.ModelSerializer;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.nd4j.linalg.factory.Nd4j;

            public class PlainDl4jLoad {
                public static void main(String[] args) throws Exception {
                    long inputs = Long.parseLong(args[0]);
                    for (int f = 1; f < args.length; f++) {
                        System.out.println("file=" + args[f]);
                        describe(ModelSerializer.restoreMultiLayerNetwork(new File(args[f]), true), inputs);
                    }
                }

                static void describe(MultiLayerNetwork net, long inputs) {
                    INDArray out = net.output(Nd4j.zeros(net.params().dataType(), 1, inputs));
                    double weighted = 0;
                    for (int j = 0; j < out.length(); j++) weighted += (j + 1) * out.getDouble(j);
                    INDArray state = net.getUpdater().getStateViewArray();
                    boolean projectVisible;
                    try {
                        Class.forName("org.explosionlab.monitor.HookedUpdater");
                        projectVisible = true;
                    } catch (ClassNotFoundException e) {
                        projectVisible = false;
                    }
                    System.out.println("numParams=" + net.numParams());
                    System.out.println("paramSum=" + net.params().sumNumber().doubleValue());
                    System.out.println("outputSum=" + out.sumNumber().doubleValue());
                    System.out.println("outputWeighted=" + weighted);
                    System.out.println("stateLength=" + (state == null ? 0 : state.length()));
                    System.out.println("stateSum=" + (state == null ? 0.0 : state.sumNumber().doubleValue()));
                    System.out.println("updater=" + net.getUpdater().getClass().getName());
                    System.out.println("projectVisible=" + projectVisible);
                }
            }
            """;

    @TempDir
    Path dir;

    /** Both zips are read by one child JVM (a DL4J start-up costs several seconds). */
    @Test
    void modelZipsLoadInPlainDl4j() throws Exception {
        // a hand-built network, monitored, with a remedy and DL4J's GradientNormalization: HookedUpdater installed
        MultiLayerNetwork net = MonitorTestNets.denseWithNormalization(41, GradientNormalization.ClipL2PerLayer, 1.0);
        Remedies.globalNorm(1.0).installOn(net);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        MonitorTestNets.mnistBatches(32, 42, 3).forEach(net::fit);
        assertInstanceOf(HookedUpdater.class, net.getUpdater(false));
        assertEquals(3, monitor.metrics().size());
        File handBuilt = dir.resolve("hand-built.zip").toFile();
        ModelSerializer.writeModel(net, handBuilt, true);

        // the CLI path: Trainer.run writes model.zip
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"), List.of("clipping=global_l2",
                "gradientNormalization=ClipL2PerLayer", "gradientNormalizationThreshold=1.0", "epochs=1"));
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        new Trainer(null).run(spec, MonitorTestNets.mnist(), new RunOptions(run, 2, 0, "test"));
        File cli = run.resolve(RunFiles.MODEL).toFile();
        assertTrue(cli.isFile(), "the CLI path writes " + RunFiles.MODEL);
        MultiLayerNetwork cliHere = ModelSerializer.restoreMultiLayerNetwork(cli, true);
        assertEquals(784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10, cliHere.numParams(), "the 784-128-64-10 seed model");

        List<Map<String, String>> child = runPlainDl4j(List.of(handBuilt, cli), 784);
        assertMatches("hand-built", expected(net, 784), child.get(0));
        assertMatches("model.zip", expected(cliHere, 784), child.get(1));
    }

    /** The figures {@link #SOURCE} prints, computed in this JVM. */
    private static Map<String, String> expected(MultiLayerNetwork net, int inputs) {
        INDArray out = net.output(Nd4j.zeros(net.params().dataType(), 1, inputs));
        double weighted = 0;
        for (int j = 0; j < out.length(); j++) weighted += (j + 1) * out.getDouble(j);
        INDArray state = net.getUpdater().getStateViewArray();
        assertNotNull(state);
        Map<String, String> e = new LinkedHashMap<>();
        e.put("numParams", Long.toString(net.numParams()));
        e.put("paramSum", Double.toString(net.params().sumNumber().doubleValue()));
        e.put("outputSum", Double.toString(out.sumNumber().doubleValue()));
        e.put("outputWeighted", Double.toString(weighted));
        e.put("stateLength", Long.toString(state.length()));
        e.put("stateSum", Double.toString(state.sumNumber().doubleValue()));
        return e;
    }

    private static void assertMatches(String what, Map<String, String> expected, Map<String, String> child) {
        assertEquals("false", child.get("projectVisible"), what + ": the child must not see this project's classes");
        assertEquals("org.deeplearning4j.nn.updater.MultiLayerUpdater", child.get("updater"), what + ": DL4J's own updater");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String got = child.get(e.getKey());
            String key = what + " " + e.getKey();
            assertNotNull(got, key + " not printed by the child: " + child);
            if (e.getKey().equals("numParams") || e.getKey().equals("stateLength")) {
                assertEquals(e.getValue(), got, key);
            } else {
                double x = Double.parseDouble(e.getValue());
                assertTrue(x != 0 && Double.isFinite(x), key + " = " + x + " is not a fingerprint");
                assertEquals(x, Double.parseDouble(got), 1e-6 * Math.abs(x), key);
            }
        }
    }

    /** Compiles {@link #SOURCE} against DL4J only and runs it in one child JVM on the zips; returns its key=value lines per zip. */
    private List<Map<String, String>> runPlainDl4j(List<File> zips, int inputs) throws IOException, InterruptedException, URISyntaxException {
        String classpath = dl4jOnlyClasspath();
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(classes);
        Path file = src.resolve(MAIN + ".java");
        Files.writeString(file, SOURCE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK is needed to compile the plain DL4J program");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int compiled = javac.run(null, null, err, "-cp", classpath, "-d", classes.toString(), file.toString());
        assertEquals(0, compiled, "javac: " + err.toString(StandardCharsets.UTF_8));

        List<String> args = new ArrayList<>(List.of(Integer.toString(inputs)));
        zips.forEach(z -> args.add(z.getAbsolutePath()));
        String text = org.explosionlab.testing.ChildJvm.run(classes + File.pathSeparator + classpath, MAIN, args);
        List<Map<String, String>> perFile = new ArrayList<>();
        for (String line : text.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || !line.substring(0, eq).matches("[A-Za-z]+")) continue;   // DL4J's log lines
            if (line.startsWith("file=")) perFile.add(new LinkedHashMap<>());
            else if (!perFile.isEmpty()) perFile.get(perFile.size() - 1).put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertEquals(zips.size(), perFile.size(), "one block per zip:\n" + text);
        return perFile;
    }

    /**
     * The test classpath without this project's own output directories (everything under its
     * {@code target/}): DL4J, ND4J and the other dependencies only.
     */
    private static String dl4jOnlyClasspath() throws URISyntaxException {
        Path testClasses = Paths.get(ModelZipLoadsInPlainDl4jTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path mainClasses = Paths.get(HookedUpdater.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path target = testClasses.toAbsolutePath().normalize().getParent();
        assertEquals(target, mainClasses.toAbsolutePath().normalize().getParent(), "main and test classes under one target/");
        List<String> kept = new ArrayList<>();
        int dropped = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            if (Paths.get(entry).toAbsolutePath().normalize().startsWith(target)) {
                dropped++;
            } else {
                kept.add(entry);
            }
        }
        assertTrue(dropped >= 2, "target/classes and target/test-classes were on the classpath: " + System.getProperty("java.class.path"));
        assertTrue(kept.stream().anyMatch(e -> e.contains("deeplearning4j-nn")), "DL4J stays on the classpath");
        assertFalse(kept.isEmpty());
        return String.join(File.pathSeparator, kept);
    }
}
