package org.explosionlab.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextLinesTest {

    @Test
    void breaksAtTheLastSpaceBeforeTheWidthAndIndentsTheFollowingLines() {
        assertEquals("aaa bbb\n  ccc ddd\n  eee", TextLines.wrap("aaa bbb ccc ddd eee", 9, "  "));
        assertEquals("  short", TextLines.wrap("  short  ", 9, "  "), "the first line's indent stays");
        assertEquals("  ! aaa\n    bbb", TextLines.wrap("  ! aaa bbb", 9, "    "));
        assertEquals("a\n  verylongword\n  b", TextLines.wrap("a verylongword b", 9, "  "), "a long word stands alone");
    }

    /** A real advice of 573 characters: no line over the width, every word kept in order. */
    @Test
    void theAdviceOfAnExplosionKeepsEveryWordOnLinesOfAtMostTheWidth() {
        String advice = "advice: The run failed by explosion at iteration 0. The gradient was already huge at the first step, before any"
                + " update: the cause is what the first step multiplies, check the initial weights (Distribution here; try He init"
                + " for the ReLU layers (.weightInit(WeightInit.RELU); --set weightInit=RELU)), then the input scale (normalize the"
                + " features, e.g. pixels / 255 or NormalizerStandardize). Then, if it persists, lower the learning rate 10x"
                + " (.updater(new Sgd(0.01)); --set learningRate=0.01); clip the global gradient norm"
                + " (Remedies.globalNorm(1.0).installOn(net); --set clipping=global_l2 --set clipThreshold=1.0) as a guard.";
        String wrapped = TextLines.wrap(advice, "  ");
        List<String> lines = wrapped.lines().toList();
        assertEquals(6, lines.size(), wrapped);
        for (String line : lines) assertTrue(line.length() <= TextLines.WIDTH, line);
        for (String line : lines.subList(1, lines.size())) assertTrue(line.startsWith("  ") && !line.startsWith("   "), line);
        assertEquals(advice, String.join(" ", lines.stream().map(String::strip).toList()));
    }
}
