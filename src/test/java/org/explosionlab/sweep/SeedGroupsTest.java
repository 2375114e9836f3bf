package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedGroupsTest {

    @Test
    void medianOfFirstExplosionsIsTheMiddleIterationOrTheMeanOfTheMiddleTwo() {
        assertEquals(0.0, SeedGroups.median(List.of(0L, 0L, 0L)));
        assertEquals(7.0, SeedGroups.median(List.of(40L, 7L, 3L)));
        assertEquals(12.5, SeedGroups.median(List.of(30L, 12L, 13L, 2L)));
        assertNull(SeedGroups.median(List.of()));
    }

    @Test
    void theMedianFirstExplosionIsShownAsAnIterationNumber() {
        assertEquals("0", SeedGroups.iteration(0.0), "an explosion at iteration 0 was shown as 0.000");
        assertEquals("12345", SeedGroups.iteration(12345.0), "%.4g printed 1.235e+04");
        assertEquals("12.5", SeedGroups.iteration(12.5), "between two iterations");
        assertEquals("-", SeedGroups.iteration(null), "no run blew up");
    }
}
