package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class W3ReadGradientsTest {

    @Test
    void globalClippingScalesEveryLayerByTauOverTheGlobalNorm() {
        W3ReadGradients.Result r = W3ReadGradients.run("--max-batches", "1");
        assertEquals(3, r.layers().size());
        double sumSq = 0;
        for (W3ReadGradients.LayerNorms l : r.layers()) sumSq += l.raw() * l.raw();
        assertEquals(Math.sqrt(sumSq), r.globalRaw(), 1e-4 * r.globalRaw(), "‖g‖ = sqrt(sum of squared layer norms)");
        assertTrue(r.globalRaw() > W3ReadGradients.CLIP_NORM, "the first glorot/Adam step is above 1 (about 1.9), so clipping acts");
        // tf.clip_by_global_norm: every layer times tau / ‖g‖, so the clipped global norm is tau
        double scale = W3ReadGradients.CLIP_NORM / r.globalRaw();
        for (W3ReadGradients.LayerNorms l : r.layers()) assertEquals(l.raw() * scale, l.clipped(), 1e-4 * l.raw());
        assertEquals(W3ReadGradients.CLIP_NORM, r.globalClipped(), 1e-4);
        assertEquals(Math.log(10), r.loss(), 0.3, "an untrained 10-class softmax starts near ln 10");
    }
}
