package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class W6DepthEffectTest {

    @Test
    void layerNormsGrowTowardTheInput() {
        W6DepthEffect.Result r = W6DepthEffect.run("--max-batches", "10");
        assertEquals(16, r.spec().hiddenLayers());
        assertEquals(10, r.profile().iterations(), "all 10 iterations of the short run");
        assertTrue(r.profile().factorPerLayer() > 1.1, r.profile().toString());
        assertTrue(r.profile().medianNorm()[0] > 10 * r.profile().medianNorm()[15], r.profile().toString());
    }
}
