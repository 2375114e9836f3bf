package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diagnose} end to end through the CLI's main: exit codes 0 / 3 / 2, the text and the JSON file. */
class DiagnoseCommandTest {
    record Outcome(int exit, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
        StringWriter cliOut = new StringWriter(), cliErr = new StringWriter();
        PrintStream old = System.out;
        System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
        try {
            int code = ExplosionLab.execute(new PrintWriter(cliOut, true), new PrintWriter(cliErr, true), args);
            return new Outcome(code, cliOut + sysOut.toString(StandardCharsets.UTF_8), cliErr.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void seedBaselineExitsZero_badInitExitsThreeWithItsJson_badInputExitsTwo(@TempDir Path tmp) throws Exception {
        Path healthy = tmp.resolve("healthy.json");
        Outcome ok = run("diagnose", "--preset", "seed-baseline", "--json", healthy.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().contains("0 severe"), ok.out());
        JsonNode h = new ObjectMapper().readTree(healthy.toFile());
        assertFalse(h.get("severe").asBoolean());
        assertEquals(4, h.get("sampledBatches").asInt());
        assertEquals(13, h.get("checksRun").size());

        Path bad = tmp.resolve("bad.json");
        Outcome severe = run("diagnose", "--preset", "bad-init", "--json", bad.toString());
        assertEquals(DiagnoseCommand.EXIT_SEVERE, severe.exit(), severe.out() + severe.err());
        assertTrue(severe.out().contains("SEVERE  init-activation-mismatch"), severe.out());
        JsonNode b = new ObjectMapper().readTree(bad.toFile());
        assertTrue(b.get("severe").asBoolean());
        List<String> checks = new ArrayList<>();
        b.get("findings").forEach(f -> checks.add(f.get("check").asText()));
        assertTrue(checks.contains("init-activation-mismatch"), checks::toString);
        JsonNode init = b.get("findings").get(checks.indexOf("init-activation-mismatch"));
        assertEquals("severe", init.get("severity").asText());
        assertEquals("--set weightInit=RELU", init.get("fixSet").asText());
        assertEquals(Math.sqrt(784 / 2.0), init.get("numbers").get("worstLayerRatio").asDouble(), 1e-9);
        assertTrue(init.get("source").asText().contains("He et al. 2015"));
        try (Stream<Path> files = Files.list(tmp)) {                     // written atomically: no temporary left behind
            assertEquals(List.of("bad.json", "healthy.json"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> none = Stream.empty()) {
        }

        // a user's spec file: Adam at 0.1, far above the Adam family's range
        Path spec = Files.writeString(tmp.resolve("mine.json"), "{\"extends\": \"seed-baseline\", \"name\": \"mine\", \"learningRate\": 0.1}");
        Outcome user = run("diagnose", "--spec", spec.toString());
        assertEquals(DiagnoseCommand.EXIT_SEVERE, user.exit(), user.out() + user.err());
        assertTrue(user.out().contains("spec mine on mnist-embedded"), user.out());
        assertTrue(user.out().contains("SEVERE  learning-rate-range"), user.out());
        Files.delete(spec);

        // the --set the finding proposes fixes it
        Outcome fixed = run("diagnose", "--preset", "bad-init", "--set", "weightInit=RELU", "--set", "weightInitDistribution=null");
        assertEquals(0, fixed.exit(), fixed.out() + fixed.err());

        // the tutorial's Keras model, imported by DL4J: the same first step as seed-baseline's (same weights, same minibatch)
        Path keras = tmp.resolve("keras.json");
        Outcome k = run("diagnose", "--keras", "src/test/resources/keras/seed-baseline.h5", "--json", keras.toString());
        assertEquals(0, k.exit(), k.out() + k.err());
        JsonNode kj = new ObjectMapper().readTree(keras.toFile());
        JsonNode kStep = null, hStep = null;
        for (JsonNode f : kj.get("findings")) if (f.get("check").asText().equals("first-step-gradient")) kStep = f.get("numbers");
        for (JsonNode f : h.get("findings")) if (f.get("check").asText().equals("first-step-gradient")) hStep = f.get("numbers");
        assertEquals(hStep.get("gradientGlobalNorm").asDouble(), kStep.get("gradientGlobalNorm").asDouble(), 1e-5);
        assertEquals(hStep.get("loss").asDouble(), kStep.get("loss").asDouble(), 1e-5);
        assertEquals(hStep.get("maxUpdateRatio").asDouble(), kStep.get("maxUpdateRatio").asDouble(), 1e-5);

        Outcome wrong = run("diagnose", "--preset", "nope", "--json", tmp.resolve("x.json").toString());
        assertEquals(ExplosionLab.EXIT_BAD_INPUT, wrong.exit());
        assertFalse(Files.exists(tmp.resolve("x.json")));
        assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
    }
}
