package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class W4ExplosionReproducedTest {

    @Test
    void badInitExplodesTheBaselineDoesNot() {
        W4ExplosionReproduced.Result r = W4ExplosionReproduced.run("--max-batches", "10");
        assertEquals(3, r.rows().size());
        W4ExplosionReproduced.Row base = r.row("seed-baseline");
        assertTrue(base.healthy());
        assertTrue(base.maxGradNorm() < 10, "baseline norms stay in single digits: " + base);
        W4ExplosionReproduced.Row bad = r.row("bad-init");
        assertEquals("explosion", bad.verdict());
        assertEquals(0L, bad.firstIteration());
        assertTrue(bad.maxGradNorm() > 100 && bad.maxGradNorm() > 30 * base.maxGradNorm(), "far above the baseline: " + bad);
        assertEquals("high-lr", r.row("high-lr").preset());
    }

    @Test
    void rejectsUnknownArguments() {
        assertThrows(IllegalArgumentException.class, () -> W4ExplosionReproduced.run("--max-batches"));
        assertThrows(IllegalArgumentException.class, () -> W4ExplosionReproduced.run("--fast"));
        assertThrows(IllegalArgumentException.class, () -> W4ExplosionReproduced.run("--epochs", "0"));
    }
}
