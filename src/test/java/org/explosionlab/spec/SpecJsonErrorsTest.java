package org.explosionlab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link SpecJson#parse} says about JSON that cannot become a spec: every case is one
 * {@link SpecException} line that names the source, the field and what would be accepted.
 */
class SpecJsonErrorsTest {
    private static final String SOURCE = "my-spec.json";

    @Test
    void textThatIsNotJsonSaysSoWithItsPosition() {
        String m = error("{\"extends\": \"seed-baseline\",\n \"learningRate\": }");
        assertTrue(m.startsWith(SOURCE + ": not valid JSON"), m);
        assertTrue(m.contains("line 2"), m);
    }

    @Test
    void aJsonValueThatIsNotAnObjectIsRejected() {
        assertTrue(error("[1, 2, 3]").contains("a spec must be a JSON object"));
        assertTrue(error("42").contains("a spec must be a JSON object"));
    }

    @Test
    void unknownFieldIsNamedAndTheKnownFieldsAreListed() {
        String m = error(TestSpecs.onSeed("{'learningRat': 0.1}"));
        assertTrue(m.contains("unknown field 'learningRat'"), m);
        for (String known : SpecOverrides.fieldNames()) assertTrue(m.contains(known), known + " not listed: " + m);
    }

    @Test
    void unknownNestedFieldIsNamedWithItsPath() {
        String m = error(TestSpecs.onSeed("{'lrSchedule': {'type': 'exponential', 'gamma': 0.9, 'gama': 0.9}}"));
        assertTrue(m.contains("unknown field 'lrSchedule.gama'"), m);
    }

    @Test
    void stringWhereANumberBelongsIsRejected() {
        String m = error(TestSpecs.onSeed("{'learningRate': 'abc'}"));
        assertTrue(m.contains("field 'learningRate' must be a number, got \"abc\""), m);
    }

    @Test
    void wordWhereAnIntegerBelongsIsRejected() {
        String m = error(TestSpecs.onSeed("{'batchSize': 'many'}"));
        assertTrue(m.contains("field 'batchSize' must be an integer"), m);
    }

    @Test
    void fractionWhereAnIntegerBelongsIsRejectedNotTruncated() {
        String m = error(TestSpecs.onSeed("{'batchSize': 32.5}"));
        assertTrue(m.contains("field 'batchSize' must be an integer"), m);
        String seed = error(TestSpecs.onSeed("{'seed': 1.5}"));
        assertTrue(seed.contains("field 'seed' must be an integer"), seed);
    }

    @Test
    void listWhereANumberBelongsIsRejected() {
        String m = error(TestSpecs.onSeed("{'epochs': [5]}"));
        assertTrue(m.contains("field 'epochs' must be an integer"), m);
    }

    @Test
    void unknownEnumValueListsTheValidOnes() {
        String m = error(TestSpecs.onSeed("{'updater': 'ADAMW'}"));
        assertTrue(m.contains("field 'updater'"), m);
        assertTrue(m.contains("\"ADAMW\""), m);
        for (UpdaterKind k : UpdaterKind.values()) assertTrue(m.contains(k.name()), k + " not listed: " + m);
    }

    @Test
    void unknownEnumValueInsideAListNamesTheElement() {
        String m = error(TestSpecs.onSeed("{'activations': ['RELU', 'RELUU', 'SOFTMAX']}"));
        assertTrue(m.contains("field 'activations[1]'"), m);
        assertTrue(m.contains("RELU6") && m.contains("LEAKYRELU"), m);
    }

    @Test
    void enumNumberIsNotAcceptedAsAnOrdinal() {
        String m = error(TestSpecs.onSeed("{'updater': 1}"));
        assertTrue(m.contains("field 'updater'"), m);
    }

    @Test
    void enumsAreReadCaseInsensitively() {
        ExperimentSpec s = SpecJson.parse(TestSpecs.onSeed("{'updater': 'sgd', 'clipping': 'GLOBAL_L2'}"), SOURCE);
        assertEquals(UpdaterKind.SGD, s.optimizer().updater());
        assertEquals(Clipping.GLOBAL_L2, s.clip().clipping());
    }

    @Test
    void missingRequiredFieldsWithoutExtendsAreAllListed() {
        String m = error("{\"name\": \"mine\", \"learningRate\": 0.1}");
        assertTrue(m.startsWith(SOURCE + ": missing required fields "), m);
        for (String f : new String[] {"layerSizes", "activations", "lossFunction", "updater", "weightInit", "batchSize", "epochs", "seed"}) {
            assertTrue(m.contains(f), f + " not listed: " + m);
        }
        assertFalse(m.contains("learningRate,"), m);
        assertTrue(m.contains("\"extends\": \"seed-baseline\""), m);
    }

    @Test
    void oneMissingRequiredFieldIsNamedInTheSingular() {
        String complete = SpecJson.write(Presets.load("seed-baseline"));
        String withoutSeed = complete.replaceFirst("\"seed\" : 42,", "");
        String m = error(withoutSeed);
        assertTrue(m.contains("missing required field seed "), m);
    }

    @Test
    void unknownPresetInExtendsListsThePresets() {
        String m = error("{\"extends\": \"no-such-preset\"}");
        assertTrue(m.contains("unknown preset 'no-such-preset'"), m);
        for (String p : Presets.names()) assertTrue(m.contains(p), p + " not listed: " + m);
    }

    @Test
    void extendsThatIsNotAStringIsRejected() {
        String m = error("{\"extends\": 3}");
        assertTrue(m.contains("\"extends\" must be a preset name"), m);
    }

    @Test
    void unknownScheduleTypeListsTheValidTypes() {
        String m = error(TestSpecs.onSeed("{'lrSchedule': {'type': 'cosine'}}"));
        assertTrue(m.contains("field 'lrSchedule' has unknown type cosine"), m);
        for (String t : new String[] {"fixed", "exponential", "step", "inverse", "poly", "sigmoid", "map", "cycle", "ramp", "tf_exponential_decay"}) {
            assertTrue(m.contains(t), t + " not listed: " + m);
        }
    }

    @Test
    void unknownDistributionAndConstraintTypesListTheValidTypes() {
        String d = error(TestSpecs.onSeed("{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'cauchy'}}"));
        assertTrue(d.contains("field 'weightInitDistribution' has unknown type cauchy"), d);
        assertTrue(d.contains("truncated_normal") && d.contains("orthogonal"), d);
        String c = error(TestSpecs.onSeed("{'constraint': {'type': 'clip'}}"));
        assertTrue(c.contains("field 'constraint' has unknown type clip"), c);
        assertTrue(c.contains("max_norm") && c.contains("non_negative"), c);
    }

    @Test
    void everyMessageIsOneLine() {
        String[] bad = {"{", TestSpecs.onSeed("{'x': 1}"), TestSpecs.onSeed("{'learningRate': 'abc'}"),
                TestSpecs.onSeed("{'updater': 'X'}"), "{}", "{\"extends\": \"nope\"}", TestSpecs.onSeed("{'lrSchedule': {'type': 'x'}}"),
                TestSpecs.onSeed("{'layerSizes': 'wide'}"), TestSpecs.onSeed("{'seed': 1.5}")};
        for (String json : bad) {
            String m = error(json);
            assertFalse(m.contains("\n"), "multi-line message for " + json + ": " + m);
        }
    }

    @Test
    void commentsAreAllowed() {
        ExperimentSpec s = SpecJson.parse("// a comment\n{\"extends\": \"seed-baseline\", /* lr */ \"learningRate\": 0.01}", SOURCE);
        assertEquals(0.01, s.optimizer().learningRate());
    }

    @Test
    void trailingContentIsRejected() {
        String m = error(TestSpecs.onSeed("{}") + " {}");
        assertTrue(m.startsWith(SOURCE + ": text after the spec's JSON object"), m);
    }

    /** Issue 28 (fourth pass, finding 9): the line says what is wrong without Jackson's internals. */
    @Test
    void aSecondValueAfterTheObjectIsNamedPlainly() {
        String m = error("{\"extends\": \"seed-baseline\"} {}");
        assertEquals(SOURCE + ": text after the spec's JSON object at line 1, column 30; a spec file holds one JSON object"
                + " and nothing after it", m);
    }

    /** Issue 28 (fourth pass, finding 10): a UTF-8 byte order mark (EF BB BF, as Notepad saves) before the spec is dropped. */
    @Test
    void aByteOrderMarkBeforeTheSpecIsDropped(@TempDir Path dir) throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] json = TestSpecs.onSeed("{'epochs': 2}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] both = java.util.Arrays.copyOf(bom, bom.length + json.length);
        System.arraycopy(json, 0, both, bom.length, json.length);
        Path file = Files.write(dir.resolve("bom.json"), both);
        assertEquals(2, SpecJson.read(file).training().epochs());
    }

    @Test
    void readNamesAMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("absent.json");
        SpecException e = assertThrows(SpecException.class, () -> SpecJson.read(missing));
        assertTrue(e.getMessage().contains("no such spec file"), e.getMessage());
    }

    @Test
    void readParsesAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.json"), TestSpecs.onSeed("{'epochs': 2}"));
        assertEquals(2, SpecJson.read(good).training().epochs());
        Path bad = Files.writeString(dir.resolve("bad.json"), TestSpecs.onSeed("{'epochs': 0}"));
        SpecException e = assertThrows(SpecException.class, () -> SpecJson.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": epochs must be"), e.getMessage());
    }

    private static String error(String json) {
        return assertThrows(SpecException.class, () -> SpecJson.parse(json, SOURCE)).getMessage();
    }
}
