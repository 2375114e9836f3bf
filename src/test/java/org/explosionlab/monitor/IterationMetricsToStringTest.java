package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record prints its arrays element by element (issue 24, user trial: {@code gradL2Layer=[D@354fc8f0}). */
class IterationMetricsToStringTest {
    @Test
    void arraysArePrintedElementByElement() {
        IterationMetrics m = new IterationMetrics(7, 1, 0.25, null, null, null, 0.1, 3.0, 2.0,
                new double[] {1.5, 2.5}, new double[] {0.5, 1.0}, Map.of("0_W", 1.0), Map.of("0_W", 0.5), 4.0, 2.0, 0,
                true, false, null, 2.0, Map.of("0_W", 0.01), Map.of("0_W", 0.001), Map.of("0_W", 0.002), Map.of("0_W", 5.0),
                null, null, new double[] {0.125}, 1.25, new double[] {1.0, Double.NaN}, 0.75, new double[] {0.5}, 12.0, 20.0, 3.5);
        String s = m.toString();
        assertFalse(s.contains("[D@"), s);
        assertTrue(s.startsWith("IterationMetrics[iteration=7, epoch=1, loss=0.25,"), s);
        assertTrue(s.contains("gradL2Layer=[1.5, 2.5]"), s);
        assertTrue(s.contains("gradL2LayerClipped=[0.5, 1.0]"), s);
        assertTrue(s.contains("activationMean=null"), s);
        assertTrue(s.contains("deadUnitFraction=[0.125]"), s);
        assertTrue(s.contains("updateRmsLayer=[1.0, NaN]"), s);
        assertTrue(s.contains("updateCosLayer=[0.5]"), s);
        assertTrue(s.contains("sharpness=12.0, sharpnessLimit=20.0, gradNormZ=3.5]"), s);
        assertTrue(s.contains("gradL2Param={0_W=1.0}"), s);
    }
}
