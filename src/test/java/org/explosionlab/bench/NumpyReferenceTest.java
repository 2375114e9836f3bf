package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NumpyReferenceTest {
    private final NumpyReference oneThread = new NumpyReference("python3", Path.of("bench/numpy_mlp_reference.py"),
            Path.of("data/mnist"), 1);

    @Test
    void commandRunsTheUnchangedScriptThroughTheWrapper() {
        List<String> cmd = oneThread.command(128);
        assertEquals(List.of("python3", "-c", NumpyReference.WRAPPER, "bench/numpy_mlp_reference.py", "data/mnist",
                "--batch", "128", "--epochs", "1", "--threads", "1"), cmd);
        assertEquals("numpy-1t", oneThread.id());
        assertEquals("numpy", new NumpyReference("python3", Path.of("x.py"), Path.of("d"), 0).id());
    }

    @Test
    void readsTheScriptsRateAndTheWrappersCpuTimeAndPeak() {
        ChildReport r = oneThread.parse(List.of(
                "numpy-reference batch=32 epochs=1 train=7996 examples_per_s=30780 test_acc=0.8967",
                "bench-numpy cpu_s=0.250000 peak_kib=76543"), 32);
        EpochTiming e = r.epochs().get(0);
        assertEquals(7996, e.examples());
        assertEquals(30780, e.examplesPerSecond(), 0.5);
        assertEquals(7996 / 0.25, e.examplesPerCpuSecond(), 1e-6);
        assertEquals(76543, r.peakRssKib());
        assertEquals("numpy-1t", r.setupId());
        assertThrows(IllegalStateException.class, () -> oneThread.parse(List.of("Traceback (most recent call last):"), 32));
    }
}
