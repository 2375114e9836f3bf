package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link SkipNonFinite}: skip every non-finite step, give up after max in a row. */
class SkipNonFiniteTest {

    @Test
    void skipsNonFiniteStepsAndGivesUpAfterMaxInARow() {
        SkipNonFinite skip = new SkipNonFinite(3);
        // non-finite counts per step, and what must follow from each:
        long[] nonFinite =         {0,     3,     5,     0,     1,     1,     1};
        boolean[] skipped =        {false, true,  true,  false, true,  true,  true};
        int[] consecutive =        {0,     1,     2,     0,     1,     2,     3};
        boolean[] givenUp =        {false, false, false, false, false, false, true};
        for (int i = 0; i < nonFinite.length; i++) {
            assertEquals(skipped[i], skip.shouldSkip(nonFinite[i]), "skip at step " + i);
            assertEquals(consecutive[i], skip.consecutive(), "consecutive at step " + i);
            assertEquals(givenUp[i], skip.givenUp(), "given up at step " + i);
        }
        assertEquals(5, skip.total());   // steps 1, 2, 4, 5, 6
    }
}
