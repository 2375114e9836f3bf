package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.diagnosis.Check;
import org.explosionlab.diagnosis.Finding;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;

/** The monitor runs the configuration checks when it binds (on by default), without reading any data. */
class MonitorDiagnosisTest {
    @Test
    void attachDiagnosesTheConfiguration_andDiagnoseFalseTurnsItOff() {
        MultiLayerNetwork bad = NetworkFactory.build(Presets.load("bad-init"));
        ExplosionMonitor m = ExplosionMonitor.attach(bad);
        var d = m.diagnosis().orElseThrow();
        Finding init = d.findings(Check.INIT_ACTIVATION_MISMATCH).get(0);
        assertTrue(init.severe());
        assertEquals(0, d.sampledBatches());                                  // configuration only: no iterator read
        assertTrue(d.skipped().containsKey(Check.FIRST_STEP_GRADIENT));

        MultiLayerNetwork seed = NetworkFactory.build(Presets.load("seed-baseline"));
        assertFalse(ExplosionMonitor.attach(seed).diagnosis().orElseThrow().hasSevere());
        assertTrue(ExplosionMonitor.builder().diagnose(false).attach(NetworkFactory.build(Presets.load("bad-init"))).diagnosis().isEmpty());

        ExplosionMonitor unbound = ExplosionMonitor.builder().build();          // bound at the first callback
        assertTrue(unbound.diagnosis().isEmpty());
    }
}
