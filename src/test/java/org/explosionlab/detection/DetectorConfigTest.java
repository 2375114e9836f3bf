package org.explosionlab.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The defaults, now named fields of {@link DetectorConfig.Builder}, and the builder's validation. */
class DetectorConfigTest {

    @Test
    void defaultsAreTheDocumentedValues() {
        // the positional list defaults() held before the defaults became named fields, in component order
        DetectorConfig documented = new DetectorConfig(10.0, 50, 3, 1.0, 100.0, 1e-4, Math.log(10), 0.05, 100, 0.15,
                0.25, 1e-5, 100, 250, 0.05, 0.55, 50, 0.1, 50, 0.7, 50, 0.5, 10.0, 100, 20, 0.01, 5);
        assertEquals(documented, DetectorConfig.defaults());
        assertEquals(documented, DetectorConfig.builder().build());
        assertEquals(documented, documented.toBuilder().build());
    }

    @Test
    void builderChangesOnlyWhatItIsTold() {
        DetectorConfig c = DetectorConfig.builder().explosionFactor(5).confirmWindow(0).build();
        assertEquals(5, c.explosionFactor());
        assertEquals(0, c.confirmWindow());
        assertEquals(DetectorConfig.defaults().medianWindow(), c.medianWindow());
        assertEquals(DetectorConfig.defaults().forClasses(10), DetectorConfig.defaults());
    }

    @Test
    void buildValidates() {
        var e = assertThrows(IllegalArgumentException.class, () -> DetectorConfig.builder().warmupSamples(51).build());
        assertEquals("detector warmupSamples must be between 1 and medianWindow (50), got 51", e.getMessage());
    }
}
