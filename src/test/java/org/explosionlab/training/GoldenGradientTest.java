package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.monitor.RemedyChain;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Proves the metrics and clipping rules against PyTorch: for every fixture directory under
 * {@code src/test/resources/golden/} (format: {@code golden/README.md}), load its parameters and
 * minibatch into the real network, run one real DL4J step through the production updater and
 * listener, and compare with {@code expected.json} (relative tolerance 1e-4, absolute 1e-6 near
 * zero). The loss: DL4J's score against {@code loss_dl4j} when the fixture gives it (examples
 * saturate at DL4J's softmax clip), else against {@code loss}; {@code loss_exact} always against
 * {@code loss}; the saturated fraction against {@code saturated_examples}, or 0 without
 * {@code loss_dl4j}. The gradients are always the exact loss's. DL4J's own modes run through DL4J's own updater; this project's rules through its
 * {@code RemedyChain}. A new fixture directory is a new set of cases, without code changes.
 */
class GoldenGradientTest {
    private static final double REL = 1e-4;
    private static final double ABS = 1e-6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicContainer> everyFixture() throws IOException, URISyntaxException {
        Path root = Paths.get(GoldenGradientTest.class.getResource("/golden").toURI());
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(p -> Files.isRegularFile(p.resolve("expected.json"))).sorted().toList();
        }
        assertTrue(dirs.size() >= 1, "no fixture directories under " + root);
        return dirs.stream().map(d -> DynamicContainer.dynamicContainer(d.getFileName().toString(), cases(d)));
    }

    private Stream<DynamicTest> cases(Path dir) {
        JsonNode expected = read(dir.resolve("expected.json"));
        JsonNode thresholds = read(dir.resolve("spec.json")).path("thresholds");
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("loss", () -> {
            IterationMetrics m = step(dir, List.of());
            double exact = expected.path("loss").asDouble();
            JsonNode dl4j = expected.path("loss_dl4j");      // present only when some example saturates
            if (dl4j.isMissingNode()) {
                assertClose("DL4J score vs loss (no example saturates)", exact, m.loss());
                assertEquals(0.0, m.lossSaturatedFraction(), 0.0, "loss_saturated_fraction without loss_dl4j");
            } else {
                assertClose("DL4J score vs loss_dl4j", dl4j.asDouble(), m.loss());
                assertTrue(m.lossSaturatedFraction() > 0, "loss_dl4j is given, so some example saturates");
                JsonNode n = expected.path("saturated_examples");
                if (!n.isMissingNode()) {
                    assertEquals(n.asInt() / (double) batchOf(dir), m.lossSaturatedFraction(), 0.0,
                            "loss_saturated_fraction (p_true <= float32 1e-10)");
                }
            }
            assertClose("loss_exact vs loss", exact, m.lossExact());
        }));
        // The gradient of the exact loss: where examples saturate, DL4J's gradient must still be (p - y)/k from
        // the unclipped p (the clip is in its score only); the gradient of loss_dl4j would differ in every figure.
        tests.add(DynamicTest.dynamicTest("raw", () -> assertRaw(expected.path("raw"), step(dir, List.of()))));
        Map<String, List<String>> rules = Map.of(
                "global_l2", List.of("clipping=global_l2", "clipThreshold=" + thresholds.path("global_l2").asDouble()),
                "layer_l2", List.of("gradientNormalization=ClipL2PerLayer", "gradientNormalizationThreshold=" + thresholds.path("layer_l2").asDouble()),
                "param_l2", List.of("gradientNormalization=ClipL2PerParamType", "gradientNormalizationThreshold=" + thresholds.path("param_l2").asDouble()),
                "elementwise", List.of("gradientNormalization=ClipElementWiseAbsoluteValue", "gradientNormalizationThreshold=" + thresholds.path("elementwise").asDouble()),
                "renorm_layer", List.of("gradientNormalization=RenormalizeL2PerLayer"),
                "renorm_param", List.of("gradientNormalization=RenormalizeL2PerParamType"),
                "agc", List.of("clipping=agc", "agcLambda=" + thresholds.path("agc_lambda").asDouble(),
                        "agcEps=" + thresholds.path("agc_eps").asDouble(), "agcExcludeOutput=false"));
        expected.path("clipped").fieldNames().forEachRemaining(rule -> {
            if (rule.equals("sgd_step_after_global_l2")) return;
            List<String> overrides = rules.get(rule);
            tests.add(DynamicTest.dynamicTest("clipped." + rule, () -> {
                assertTrue(overrides != null, "no mapping for clipped." + rule + " in this test");
                IterationMetrics m = step(dir, overrides);
                JsonNode e = expected.path("clipped").path(rule);
                assertClipped(e, m);
                assertRaw(expected.path("raw"), m);   // the raw figures stay the pre-clipping ones
                if (e.has("norm_before")) assertClose("norm_before", e.path("norm_before").asDouble(), m.gradL2Global());
            }));
        });
        JsonNode sgd = expected.path("clipped").path("sgd_step_after_global_l2");
        if (!sgd.isMissingNode()) {
            tests.add(DynamicTest.dynamicTest("clipped.sgd_step_after_global_l2", () -> {
                IterationMetrics m = step(dir, List.of("updater=SGD", "learningRate=" + sgd.path("lr").asDouble(),
                        "clipping=global_l2", "clipThreshold=" + thresholds.path("global_l2").asDouble()));
                assertParams("update_l2", sgd.path("update_l2"), m.updateL2Param());
                assertParams("update_param_ratio_l2", sgd.path("update_param_ratio_l2"), m.updateParamRatioL2());
                assertParams("update_param_ratio_meanabs", sgd.path("update_param_ratio_meanabs"), m.updateParamRatio());
            }));
        }
        return tests.stream();
    }

    /** One real DL4J training step on the fixture's parameters and minibatch. */
    private static IterationMetrics step(Path dir, List<String> overrides) throws IOException {
        List<String> all = new ArrayList<>(List.of("updater=SGD", "learningRate=0.1", "batchSize=" + batchOf(dir)));
        all.addAll(overrides);
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"), all);
        MultiLayerNetwork net = NetworkFactory.build(spec);
        RemedyChain.of(spec).installOn(net);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        List<IterationMetrics> recorded = monitor.metrics();
        for (String key : net.paramTable().keySet()) {
            net.setParam(key, Nd4j.createFromNpyFile(dir.resolve(key + ".npy").toFile()).castTo(net.getParam(key).dataType()));
        }
        net.fit(new DataSet(npy(dir, "x"), npy(dir, "y")));
        assertEquals(1, recorded.size());
        return recorded.get(0);
    }

    private static int batchOf(Path dir) {
        return read(dir.resolve("spec.json")).path("batch").asInt();
    }

    private static org.nd4j.linalg.api.ndarray.INDArray npy(Path dir, String name) {
        File f = dir.resolve(name + ".npy").toFile();
        return Nd4j.createFromNpyFile(f);
    }

    private static void assertRaw(JsonNode e, IterationMetrics m) {
        assertParams("raw.param_l2", e.path("param_l2"), m.gradL2Param());
        assertLayers("raw.layer_l2", e.path("layer_l2"), m.gradL2Layer());
        assertClose("raw.global_l2", e.path("global_l2").asDouble(), m.gradL2Global());
        assertClose("raw.max_abs", e.path("max_abs").asDouble(), m.gradMaxAbs());
        assertEquals(0, m.gradNonFinite());
    }

    private static void assertClipped(JsonNode e, IterationMetrics m) {
        assertParams("param_l2", e.path("param_l2"), m.gradL2ParamClipped());
        assertLayers("layer_l2", e.path("layer_l2"), m.gradL2LayerClipped());
        assertClose("global_l2", e.path("global_l2").asDouble(), m.gradL2GlobalClipped());
        assertClose("max_abs", e.path("max_abs").asDouble(), m.gradMaxAbsClipped());
    }

    private static void assertParams(String what, JsonNode e, Map<String, Double> actual) {
        assertEquals(e.size(), actual.size(), what + ": parameter count");
        e.fieldNames().forEachRemaining(k -> assertClose(what + "." + k, e.path(k).asDouble(), actual.get(k)));
    }

    private static void assertLayers(String what, JsonNode e, double[] actual) {
        assertEquals(e.size(), actual.length, what + ": layer count");
        for (int i = 0; i < actual.length; i++) assertClose(what + "[" + i + "]", e.get(i).asDouble(), actual[i]);
    }

    private static void assertClose(String what, double expected, Double actual) {
        assertTrue(actual != null, what + " missing");
        double tol = Math.max(ABS, REL * Math.abs(expected));
        assertEquals(expected, actual, tol, what);
    }

    private static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
