package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code presets} shows each description's first sentence; abbreviations and decimals do not end it. */
class PresetsCommandTest {
    @Test
    void theFirstSentenceEndsAtAFullStopBeforeACapital() {
        assertEquals("Adaptive gradient clipping (Brock et al. 2021, lambda 0.01): each unit capped, i.e. clipped.",
                PresetsCommand.firstSentence("Adaptive gradient clipping (Brock et al. 2021, lambda 0.01): each unit capped,"
                        + " i.e. clipped. The output layer must be clipped too."));
        assertEquals("SGD at lr 0.1.", PresetsCommand.firstSentence("SGD at lr 0.1. Every layer multiplies."));
        assertEquals("no full stop here", PresetsCommand.firstSentence("no full stop here"));
    }
}
