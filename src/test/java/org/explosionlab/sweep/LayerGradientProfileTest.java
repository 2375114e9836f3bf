package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.explosionlab.monitor.IterationMetrics;
import org.junit.jupiter.api.Test;

class LayerGradientProfileTest {

    static IterationMetrics metrics(long iteration, double... layerNorms) {
        double global = 0;
        for (double v : layerNorms) global += v * v;
        return new IterationMetrics(iteration, 0, 1.0, null, null, null, 0.1, Math.sqrt(global), Math.sqrt(global), layerNorms.clone(),
                layerNorms.clone(), Map.of(), Map.of(), 1.0, 1.0, 0, false, false, null, null, Map.of(), Map.of(), Map.of(), Map.of(),
                null, null, null);
    }

    @Test
    void medianPerLayerOverTheFirstIterations() {
        List<IterationMetrics> m = new ArrayList<>();
        m.add(metrics(0, 8, 4, 2, 1));
        m.add(metrics(1, 80, 40, 2, 3));       // a spike in layers 0 and 1: the median ignores it
        m.add(metrics(2, 6, 2, Double.NaN, 2)); // non-finite values are left out
        m.add(metrics(3, 1e9, 1e9, 1e9, 1e9));  // beyond the first 3
        LayerGradientProfile p = LayerGradientProfile.of(m, 3);
        assertEquals(3, p.iterations());
        // layer 0: median(8, 80, 6) = 8; layer 1: median(4, 40, 2) = 4; layer 2: median(2, 2) = 2; layer 3: median(1, 3, 2) = 2
        assertArrayEquals(new double[] {8, 4, 2, 2}, p.medianNorm(), 0);
        // last hidden layer = layer 2 (of 4 weight layers): 8 / 2 = 4 over two steps, x2 per layer
        assertEquals(4.0, p.inputOverLastHidden(), 1e-12);
        assertEquals(2.0, p.factorPerLayer(), 1e-12);
    }

    @Test
    void vanishingGivesAFactorBelowOne() {
        LayerGradientProfile p = LayerGradientProfile.of(List.of(metrics(0, 0.01, 0.1, 1, 5)), 10);
        assertEquals(1, p.iterations(), "fewer iterations than asked for: all of them");
        assertEquals(0.01, p.inputOverLastHidden(), 1e-12);
        assertEquals(0.1, p.factorPerLayer(), 1e-12);
    }

    @Test
    void barsAreOneLinePerLayerAndLongerForLargerNorms() {
        LayerGradientProfile p = new LayerGradientProfile(5, new double[] {100, 10, 1, 0.5});
        String text = p.bars(List.of(784, 64, 64, 64, 10));
        List<String> lines = text.lines().toList();
        assertEquals(1 + 4 + 1, lines.size());
        // log scale from the smallest (0.5, one character) to the largest (100, forty characters):
        // 10 → 1 + round(39·ln 20 / ln 200) = 1 + round(22.05) = 23, 1 → 1 + round(39·ln 2 / ln 200) = 1 + round(5.10) = 6
        assertTrue(lines.get(1).endsWith(" " + "#".repeat(40)), lines.get(1));
        assertTrue(lines.get(2).endsWith(" " + "#".repeat(23)), lines.get(2));
        assertTrue(lines.get(3).endsWith(" " + "#".repeat(6)), lines.get(3));
        assertTrue(lines.get(4).endsWith(" #"), lines.get(4));
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, LayerGradientProfile.median(new double[] {4, 1, 2, 3}), 0);
        assertTrue(Double.isNaN(LayerGradientProfile.median(new double[0])));
    }
}
