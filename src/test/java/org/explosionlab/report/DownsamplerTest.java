package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DownsamplerTest {

    @Test
    void shortSeriesAreKeptWhole() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, Downsampler.keep(new double[] {1, 2, 3, 4}, YScale.LINEAR, 2000));
    }

    @Test
    void spikesDipsAndGapsSurviveThinning() {
        double[] y = new double[100_000];
        Arrays.fill(y, 1.0);
        y[54_321] = 1e9;
        y[1_234] = 1e-9;
        y[77_777] = Double.NaN;
        int[] kept = Downsampler.keep(y, YScale.LOG, 2000);
        assertTrue(kept.length <= 2000, "kept " + kept.length);
        assertTrue(Arrays.binarySearch(kept, 54_321) >= 0, "spike kept");
        assertTrue(Arrays.binarySearch(kept, 1_234) >= 0, "dip kept");
        assertTrue(Arrays.binarySearch(kept, 77_777) >= 0, "gap kept");
        for (int i = 1; i < kept.length; i++) {
            assertTrue(kept[i] > kept[i - 1], "ascending");
        }
    }

    @Test
    void onALogScaleZeroIsAGap() {
        double[] y = new double[10_000];
        Arrays.fill(y, 2.0);
        y[5_000] = 0.0;
        int[] kept = Downsampler.keep(y, YScale.LOG, 300);
        assertTrue(Arrays.binarySearch(kept, 5_000) >= 0);
        assertTrue(kept.length <= 300);
    }
}
