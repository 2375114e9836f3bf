package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EtaTest {

    @Test
    void meanTimePerRunTimesRunsLeft() {
        assertEquals(90.0, Eta.secondsLeft(60, 2, 5), 1e-12);  // 30 s per run, 3 left
        assertEquals(0.0, Eta.secondsLeft(42, 7, 7), 1e-12);
        assertTrue(Double.isNaN(Eta.secondsLeft(0, 0, 5)), "no estimate before the first run ends");
    }

    /** With workers, running points count by the share of their iterations done: 1.5 points' worth in 60 s, 2.5 to go. */
    @Test
    void partialProgressOfRunningPointsCounts() {
        assertEquals(100.0, Eta.secondsLeft(60.0, 1.5, 4), 1e-12);
        assertTrue(Double.isNaN(Eta.secondsLeft(3.0, 0.0, 4)));
    }

    @Test
    void formatsHoursMinutesSeconds() {
        assertEquals("1h02m03s", Eta.format(3723));
        assertEquals("1m05s", Eta.format(65));
        assertEquals("7s", Eta.format(7.4));
        assertEquals("?", Eta.format(Double.NaN));
    }
}
