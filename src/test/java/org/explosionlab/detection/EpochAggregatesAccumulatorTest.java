package org.explosionlab.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 28 (finding 11): a run's per-epoch aggregates are taken one row at a time, holding one epoch's samples
 * at most, and equal {@link EpochAggregates#perEpoch} over all rows at once, at every point of the run; the
 * epoch in progress is checked by hand (median of 1, 3, 5, 7 is 4; max ignores NaN but keeps +Infinity).
 */
class EpochAggregatesAccumulatorTest {
    @Test
    void rowByRowEqualsAllAtOnceAtEveryStep() {
        List<IterationSample> all = new ArrayList<>();
        long it = 0;
        for (int epoch = 0; epoch < 4; epoch++) {
            for (int b = 0; b < 7; b++) {
                double norm = b == 3 && epoch == 1 ? Double.NaN : b == 5 && epoch == 2 ? Double.POSITIVE_INFINITY : 1 + 0.37 * ((it * 7919) % 23);
                all.add(new IterationSample(it, epoch, 2.3 - 0.01 * it, norm, Math.min(norm, 5), new double[0], norm / 10, 0,
                        norm > 5, b == 6, Double.NaN, new double[0], Double.NaN));
                it++;
            }
        }
        EpochAggregates.Accumulator acc = new EpochAggregates.Accumulator();
        for (int i = 0; i < all.size(); i++) {
            acc.add(all.get(i));
            assertEquals(EpochAggregates.perEpoch(all.subList(0, i + 1)), acc.aggregates(), "after row " + i);
        }
    }

    @Test
    void theEpochInProgressByHand() {
        EpochAggregates.Accumulator acc = new EpochAggregates.Accumulator();
        double[] norms = {1, 3, Double.NaN, 5, 7};
        for (int i = 0; i < norms.length; i++) acc.add(Samples.global(i, 0, 1.0, norms[i]));
        EpochAggregates e = acc.aggregates().get(0);
        assertEquals(5, e.iterations());
        assertEquals(4.0, e.gradL2GlobalMedian());
        assertEquals(7.0, e.gradL2GlobalMax());
        assertEquals(1, e.nonfiniteIterations());
    }

    @Test
    void anEarlierEpochAfterALaterOneIsRefused() {
        EpochAggregates.Accumulator acc = new EpochAggregates.Accumulator();
        acc.add(Samples.global(0, 1, 1.0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> acc.add(Samples.global(1, 0, 1.0, 1.0)));
    }
}
