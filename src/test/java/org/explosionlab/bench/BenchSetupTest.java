package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.explosionlab.network.FusedAdam;
import org.explosionlab.network.InPlaceMultiLayerUpdater;
import org.junit.jupiter.api.Test;

class BenchSetupTest {
    @Test
    void idsInTheGivenOrder() {
        assertEquals(List.of(BenchSetup.PLAIN, BenchSetup.TUNED, BenchSetup.METRICS, BenchSetup.STATS),
                BenchSetup.parseList("a, b,C,d"));
    }

    @Test
    void unknownIdNamesTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchSetup.parseList("a,x"));
        assertEquals("unknown benchmark setup 'x'; use one of a, b, c, d, c10, c4, a1, b-, b0, b1, b2, b4, bj, cj, bv, cv, b3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchSetup.parseList(" , "));
    }

    @Test
    void plainDl4jSwitchesEveryProjectDefaultOffAndTunedKeepsThem() {
        assertEquals("false", BenchSetup.PLAIN.properties().get(FusedAdam.ENABLED_PROPERTY));
        assertEquals("false", BenchSetup.PLAIN.properties().get(InPlaceMultiLayerUpdater.ENABLED_PROPERTY));
        for (BenchSetup plain : List.of(BenchSetup.PLAIN, BenchSetup.PLAIN_ONE_THREAD, BenchSetup.BEFORE, BenchSetup.DL4J_BACKPROP)) {
            assertEquals("false", plain.properties().get(org.explosionlab.network.FastDenseNetwork.ENABLED_PROPERTY), plain.id());
        }
        assertEquals(BenchSetup.Threads.DEFAULT, BenchSetup.PLAIN.threads());
        assertTrue(BenchSetup.TUNED.properties().isEmpty());
        assertEquals(BenchSetup.Threads.TUNED, BenchSetup.TUNED.threads());
    }
}
