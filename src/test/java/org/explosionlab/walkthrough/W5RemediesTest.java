package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class W5RemediesTest {

    @Test
    void everyRemedyOfBadInitIsComparedWithTheUntreatedRun() {
        assertEquals(List.of("bad-init", "bad-init-clip-global", "bad-init-clip-layer", "bad-init-clip-value", "bad-init-agc",
                "bad-init-autoclip", "bad-init-he-init", "bad-init-lr-decay", "bad-init-max-norm"), W5Remedies.presets());
        W5Remedies.Result r = W5Remedies.run("--max-batches", "5");
        assertEquals(9, r.rows().size());
        assertEquals("explosion", r.row("bad-init").verdict());
        for (String healthy : List.of("bad-init-clip-global", "bad-init-clip-layer", "bad-init-clip-value", "bad-init-agc",
                "bad-init-he-init")) {
            assertEquals("healthy", r.row(healthy).verdict(), healthy);
        }
        assertTrue(r.row("bad-init-he-init").maxGradNorm() < 10, "He init fixes the cause: the raw norm itself stays small");
        // max-norm constrains weights after the update: the first (raw) gradient is still flagged
        assertEquals("explosion", r.row("bad-init-max-norm").verdict());
        // the two whose descriptions say they act too late for bad-init's first step
        assertEquals("explosion", r.row("bad-init-autoclip").verdict());
        assertEquals("explosion", r.row("bad-init-lr-decay").verdict());
        assertEquals(1.0, r.row("bad-init-clip-global").clipRate(), 0, "the raw global norm (~300) is above 1 at every step");
    }
}
