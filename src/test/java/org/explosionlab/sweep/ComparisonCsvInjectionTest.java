package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 28, finding 19: a run name such as -2-3 (a summary.json a sweep reads back) must not become a formula cell. */
class ComparisonCsvInjectionTest {
    @Test
    void runNamesThatLookLikeFormulasAreText() {
        ComparisonTable t = new ComparisonTable(List.of(
                new ComparisonRow("-2-3", 0.5, "healthy", null, 1, 1, 0, 1),
                new ComparisonRow("=cmd|' /C calc'!A0", 0.5, "healthy", null, 1, 1, 0, 1)));
        List<String> lines = t.csv().lines().toList();
        assertEquals("'-2-3", lines.get(1).split(",")[0]);
        assertEquals("'=cmd|' /C calc'!A0", lines.get(2).split(",")[0]);
    }
}
