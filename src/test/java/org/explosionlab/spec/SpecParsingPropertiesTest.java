package org.explosionlab.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.StringLength;

/**
 * Property-based tests (jqwik): whatever text or JSON a user feeds the spec reader — arbitrary
 * strings, random JSON trees, real specs with random fields replaced by random values, random
 * {@code --set} assignments — the outcome is either a valid spec or one {@link SpecException} with a
 * one-line message. Nothing else escapes (no Jackson exception, NullPointerException,
 * IllegalArgumentException from DL4J, …).
 */
class SpecParsingPropertiesTest {
    private static final List<String> FIELDS = SpecOverrides.fieldNames();

    @Property(tries = 300)
    void arbitraryTextIsASpecOrOneLineError(@ForAll @StringLength(max = 200) String text) {
        assertSpecOrOneLineError(() -> SpecJson.parse(text, "fuzz"));
    }

    @Property(tries = 300)
    void arbitraryJsonIsASpecOrOneLineError(@ForAll("json") String json) {
        assertSpecOrOneLineError(() -> SpecJson.parse(json, "fuzz"));
    }

    /** The most dangerous inputs: a valid preset with a few of its fields replaced by random values. */
    @Property(tries = 400)
    void mutatedPresetIsASpecOrOneLineError(@ForAll("mutations") List<Tuple.Tuple2<String, String>> mutations) {
        StringBuilder json = new StringBuilder("{\"extends\": \"seed-baseline\"");
        for (var m : mutations) json.append(", \"").append(m.get1()).append("\": ").append(m.get2());
        json.append('}');
        assertSpecOrOneLineError(() -> SpecJson.parse(json.toString(), "fuzz"));
    }

    @Property(tries = 300)
    void arbitrarySetAssignmentIsASpecOrOneLineError(@ForAll("assignments") String assignment) {
        assertSpecOrOneLineError(() -> SpecOverrides.apply(Presets.load("seed-baseline"), List.of(assignment)));
    }

    private static void assertSpecOrOneLineError(java.util.function.Supplier<ExperimentSpec> read) {
        try {
            ExperimentSpec s = read.get();
            assertTrue(s.layers().layerSizes().get(0) == ExperimentSpec.MNIST_INPUTS, "a returned spec is a valid one");
        } catch (SpecException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a message");
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }

    @Provide
    Arbitrary<String> json() {
        return value(3);
    }

    private Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "1e308", "-0", "1e-400", "\"NaN\"", "\"Infinity\""),
                Arbitraries.strings().ofMaxLength(12).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
                Arbitraries.of(FIELDS).map(f -> "\"" + f + "\""));
        if (depth == 0) return scalar;
        Arbitrary<String> array = value(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.of("extends", "type", "x")),
                value(depth - 1)).ofMaxSize(5).map(SpecParsingPropertiesTest::object);
        return Arbitraries.oneOf(scalar, array, object);
    }

    private static String object(Map<String, String> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return sb.append('}').toString();
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<String, String>>> mutations() {
        Arbitrary<String> values = Arbitraries.oneOf(value(2), Arbitraries.of(
                "0", "-1", "1", "784", "10", "[784,10]", "[784,0,10]", "[10,784]", "[]", "[\"RELU\"]",
                "{\"type\":\"normal\",\"mean\":0,\"std\":0}", "{\"type\":\"step\",\"decayRate\":0.5,\"step\":0}",
                "{\"type\":\"cycle\",\"maxLearningRate\":1,\"cycleLength\":1,\"annealingLength\":0,\"annealingDecay\":1}",
                "{\"type\":\"max_norm\",\"maxNorm\":-1}", "\"DISTRIBUTION\"", "\"IDENTITY\"", "\"ADADELTA\"",
                "\"global_l2\"", "\"autoclip\"", "\"MSE\"", "\"SIGMOID\"", "[\"explosion\",\"bogus\"]"));
        return Arbitraries.of(FIELDS).flatMap(f -> values.map(v -> Tuple.of(f, v))).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> assignments() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(FIELDS),
                Arbitraries.of("lrSchedule.gamma", "weightInitDistribution.std", "constraint.maxNorm", "x.y", "", "="));
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10), value(2),
                Arbitraries.of("784,128,10", "RELU,SOFTMAX", "", ",", "1,,2"));
        return keys.flatMap(k -> values.map(v -> k + "=" + v));
    }
}
