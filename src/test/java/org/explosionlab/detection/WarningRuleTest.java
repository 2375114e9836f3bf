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
        assertTrue(w.advice().contains("below 2/λ = 0.5"), w.advice());  // 2/λ = 2/4 = 0.5
        assertTrue(!w.advice().contains("--set"), w.advice());
    }

    @Test
    void adamSharpnessIsNotJudgedBeforeItsWarmUpAndItsAdviceUses38OverLambda() {
        // The user's Adam 0.3 run: limit (2 + 2·0.9)/((1 − 0.9)·0.3) = 126.67; at iteration 0 the preconditioned
        // sharpness read 7.69e5 from a second moment holding a single g².
        double lr = 0.3, limit = 3.8 / 0.1 / lr;
        WarningRule rule = new WarningRule();
        List<Warning> all = new ArrayList<>();
        for (int i = 0; i < WarningRule.ADAM_SHARPNESS_WARMUP; i++) {
            all.addAll(rule.observe(new WarningRule.Sample(i, lr, 1.0, null, i == 0 ? 7.69e5 : 500.0, limit, null)));
        }
        assertEquals(List.of(), all, "no sharpness warning while Adam's second moment warms up");
        List<Warning> late = rule.observe(new WarningRule.Sample(WarningRule.ADAM_SHARPNESS_WARMUP, lr, 1.0, null, 200.0, limit, null));
        assertEquals(1, late.size());
        String advice = late.get(0).advice();
        assertTrue(advice.contains("below 38/λ_p = 0.19"), advice);          // 38/200 by hand
        assertTrue(advice.contains("Cohen et al. 2022"), advice);
        assertTrue(!advice.contains("for SGD") && !advice.contains("--set"), advice);
    }

    @Test
    void sgdSharpnessIsJudgedFromIterationZero() {
        List<Warning> w = new WarningRule().observe(new WarningRule.Sample(0, 0.5, null, null, 10.0, 4.0, null));
        assertEquals(1, w.size());
        assertTrue(w.get(0).advice().contains("below 2/λ = 0.2"), w.get(0).advice());   // 2/10
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
