package org.explosionlab.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarningRuleTest {

    private static WarningRule.Sample sharp(long it, double sharpness, double limit) {
        return new WarningRule.Sample(it, 0.5, null, null, sharpness, limit, null);
    }

    @Test
    void sharpnessWarnsOnceWhenItCrossesTheLimitAndAdvisesTheLearningRateBelowTwoOverLambda() {
        WarningRule rule = new WarningRule();
        List<Warning> all = new ArrayList<>();
        double[] sharpness = {1, 2, 3.9, 4.0, 5.0, 8.0, 3.0, 5.0};   // limit 2/η = 4 at η = 0.5
        for (int i = 0; i < sharpness.length; i++) all.addAll(rule.observe(sharp(i, sharpness[i], 4.0)));
        assertEquals(1, all.size(), "one crossing inside the re-arm window: one warning");
        Warning w = all.get(0);
        assertEquals(3, w.iteration());
        assertEquals(WarningRule.SHARPNESS, w.signal());
        assertEquals(4.0, w.threshold());
        assertTrue(w.advice().contains("below 0.5"), w.advice());        // 2/λ = 2/4 = 0.5
    }

    @Test
    void aSignalReArmsAfterItsWindowAndNaNThresholdsAreOff() {
        WarningRule rule = new WarningRule(new WarningRule.Thresholds(1.0, 5.0, Double.NaN, 7.0, 10));
        List<Warning> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double z = i % 15 == 5 ? 9 : 0;                                // spikes at 5, 20, 35
            all.addAll(rule.observe(new WarningRule.Sample(i, 0.1, 6.0, -1.0, null, null, z)));
        }
        assertEquals(List.of(0L, 5L, 20L, 35L), all.stream().map(Warning::iteration).toList());
        assertEquals(WarningRule.UPDATE_RMS, all.get(0).signal(), "update RMS 6 ≥ 5 from the start, once");
        assertTrue(all.stream().noneMatch(w -> w.signal().equals(WarningRule.UPDATE_COS)), "the cosine is off (NaN)");
    }

    @Test
    void warningsDoNotChangeTheVerdictAndAHealthyRunSaysSo() throws Exception {
        Verdict plain = new Verdict(List.of(), 500L, 0, Map.of());
        Verdict warned = plain.withWarnings(List.of(new Warning(120, "sharpness", 25.0, 20.0, "lower it")));
        assertEquals(Verdict.Kind.HEALTHY, warned.kind());
        assertTrue(warned.advice().contains("did not turn into an explosion"), warned.advice());
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(warned);
        assertTrue(text.contains("\"warnings\":[{\"iteration\":120,\"signal\":\"sharpness\""), text);
        assertEquals(warned, json.readValue(text, Verdict.class));
        String old = text.replaceAll(",\"warnings\":\\[[^\\]]*\\]", "");
        assertEquals(List.of(), json.readValue(old, Verdict.class).warnings(), "a summary from before warnings reads back");
    }
}
