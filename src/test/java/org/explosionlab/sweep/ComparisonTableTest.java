package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    /** Cells of a Markdown row: split on '|' not preceded by a backslash. */
    private static int columns(String row) {
        return row.substring(1, row.length() - 1).split("(?<!\\\\)\\|", -1).length;
    }

    @Test
    void markdownEscapesThePipesOfTheNormColumns() {
        ComparisonTable t = new ComparisonTable(List.of(
                new ComparisonRow("bad-init", 0.1976, "explosion", 1L, 534, 0.198, 0, 67.7)));
        List<String> lines = t.markdown().lines().toList();
        assertEquals(3, lines.size());
        for (String line : lines) assertEquals(9, columns(line), line);
        assertEquals("| bad-init | 0.1976 | explosion | 1 | 534 | 0.198 | 0.000 | 67.7 | done |", lines.get(2));
    }
}
