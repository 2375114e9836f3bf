package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.explosionlab.bench.PythonReference.Kind;
import org.junit.jupiter.api.Test;

/** {@link PythonReference}: its command and how it reads the scripts' and the wrapper's lines (no Python run). */
class PythonReferenceTest {
    private static final PythonReference NUMPY = new PythonReference(Kind.NUMPY, "python3", Path.of("bench/numpy_mlp_reference.py"),
            Path.of("data/mnist"), 1, 5);
    private static final PythonReference TORCH = new PythonReference(Kind.TORCH, "/usr/bin/python3", Path.of("bench/torch_mlp_reference.py"),
            Path.of("data/mnist"), 1, 5);

    @Test
    void commandRunsTheScriptUnchangedThroughTheWrapper() {
        List<String> cmd = NUMPY.command(128);
        assertEquals(List.of("python3", "-c", PythonReference.WRAPPER, "bench/numpy_mlp_reference.py", "data/mnist", "--batch", "128",
                "--epochs", "5", "--threads", "1"), cmd);
        assertEquals(List.of("/usr/bin/python3", "-c", "import torch"), TORCH.importCheck());
        PythonReference defaultThreads = new PythonReference(Kind.NUMPY, "python3", Path.of("n.py"), Path.of("d"), 0, 1);
        assertTrue(defaultThreads.command(32).stream().noneMatch("--threads"::equals));
        assertEquals("numpy", defaultThreads.id());
        assertEquals("numpy-1t", NUMPY.id());
        assertEquals("torch-1t", TORCH.id());
        assertTrue(TORCH.label().startsWith("PyTorch CPU MLP (torch_mlp_reference.py), 1 thread"), TORCH.label());
    }

    /** 7,996 examples × 5 epochs in 0.5 s wall and 0.49 s CPU: 79,960 examples/s. */
    @Test
    void numpyLinesGiveExamplesWallCpuAndPeak() {
        ChildReport r = NUMPY.parse(List.of("numpy-reference batch=32 epochs=5 train=7996 examples_per_s=79000 test_acc=0.9012",
                "bench-python wall_s=0.500000 cpu_s=0.490000 peak_kib=84992"), 32);
        assertEquals("numpy-1t", r.setupId());
        assertEquals(84_992, r.peakRssKib());
        assertEquals(1, r.threads());
        EpochTiming t = r.total();
        assertEquals(39_980, t.examples());
        assertEquals(500_000_000L, t.wallNanos());
        assertEquals(490_000_000L, t.cpuNanos());
        assertEquals(79_960, t.examplesPerSecond(), 1e-6);
    }

    @Test
    void torchLinesAreReadByTheirOwnPrefix() {
        ChildReport r = TORCH.parse(List.of("numpy-reference batch=32 epochs=9 train=1 examples_per_s=1",
                "torch-reference batch=32 epochs=5 threads=1 train=7996 examples_per_s=45000 test_acc=0.95 torch=1.13.1",
                "bench-python wall_s=1.000000 cpu_s=1.000000 peak_kib=400000"), 32);
        assertEquals(39_980, r.total().examples());
        assertEquals("torch-1t", r.setupId());
    }

    @Test
    void missingLinesAreAnErrorQuotingTheOutput() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NUMPY.parse(List.of("Traceback (most recent call last):", "ModuleNotFoundError: No module named 'numpy'"), 32));
        assertTrue(e.getMessage().contains("No module named 'numpy'"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> NUMPY.parse(List.of("numpy-reference batch=32 epochs=5 train=7996 examples_per_s=79000"), 32));
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PythonReference(Kind.TORCH, "p", Path.of("t.py"), Path.of("d"), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PythonReference(Kind.NUMPY, "p", Path.of("n.py"), Path.of("d"), 1, 0));
    }

    @Test
    void onlyTheNumpyChildLosesThisMachinesOpenBlasTuningVariables() {
        assertEquals(java.util.Set.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"), PythonReference.NUMPY_UNSET);
    }
}
