package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link StepTimes}: medians, trimmed means and the cost of recording, computed by hand. */
class StepTimesTest {

    @Test
    void costIsTheRatioOfMediansOfTheTwoKindsOfStep() {
        StepTimes t = new StepTimes();
        // unrecorded steps 700, 800, 900 µs (median 800); recorded 850, 880, 5000 µs (median 880: the outlier does not count)
        long[] other = {900_000, 700_000, 800_000};
        long[] recorded = {5_000_000, 850_000, 880_000};
        for (int i = 0; i < 3; i++) {
            t.add(false, other[i], other[i] / 2);
            t.add(true, recorded[i], recorded[i] / 2);
        }
        assertEquals(3, t.recordedSteps());
        assertEquals(3, t.unrecordedSteps());
        assertEquals(800.0, t.unrecordedMedianMicros(), 1e-9);
        assertEquals(880.0, t.recordedMedianMicros(), 1e-9);
        assertEquals(0.10, t.wallCost(), 1e-12);          // 880 / 800 − 1
        assertEquals(0.10, t.cpuCost(), 1e-12);           // the CPU times are half the wall times
    }

    @Test
    void trimmedMeanDropsFivePercentAtEachEnd() {
        StepTimes t = new StepTimes();
        // 40 unrecorded steps of 100 ns except two outliers; 40 recorded of 110 ns except two outliers
        for (int i = 0; i < 40; i++) {
            t.add(false, i == 0 ? 1 : i == 39 ? 100_000 : 100, 0);
            t.add(true, i == 0 ? 1 : i == 39 ? 100_000 : 110, 0);
        }
        // n = 40: 2 cut at each end (40 / 20) → the 36 middle values, all 100 and 110
        assertEquals(0.10, t.trimmedMeanWallCost(), 1e-12);
        assertEquals(100.0, StepTimes.trimmedMean(new double[] {1, 100, 100, 100, 100, 100, 100, 100, 100, 100,
                100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 9999}, 22) / 1.0, 1e-9);
    }

    @Test
    void storageGrowsPastItsFirstCapacity() {
        StepTimes t = new StepTimes();
        for (int i = 0; i < 5000; i++) t.add(i % 2 == 0, 1000 + i % 7, 1);
        assertEquals(2500, t.recordedSteps());
        assertEquals(2500, t.unrecordedSteps());
        assertTrue(t.recordedMedianMicros() > 0);
    }
}
