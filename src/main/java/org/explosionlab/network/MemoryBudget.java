package org.explosionlab.network;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecException;

/**
 * The memory a spec's network needs, estimated before anything is built, so that a spec too large
 * for this machine is refused with one line instead of being killed at 24 GB. The estimate counts, in
 * float32 (4 bytes), what DL4J holds off-heap for a {@code MultiLayerNetwork} of dense layers:
 * <pre>
 * P      = sum over layers of (n_in * n_out + n_out)        parameters
 * bytes  = 4 * ( P                                          parameter view
 *              + P                                          gradient view
 *              + updater.stateSize(P)                       e.g. Adam's m and v: 2P (DL4J's own count)
 *              + B * (n_0 + 4 * sum of n_out)              activations at batchSize B: input, and per layer
 *                                                           pre-activation, activation, epsilon, one spare
 *              + 5 * max over layers of n_in * n_out )      the monitor's own copies: each of its five native
 *                                                           measurements (raw, clipped and normalised gradient,
 *                                                           parameters, update) copies a parameter array to a
 *                                                           64-byte-aligned scratch buffer as large as the largest
 * </pre>
 * It is a lower bound (DL4J's workspaces and the remedies' and early-warning instruments' heap copies come on top), compared with the
 * smaller of JavaCPP's off-heap limit ({@code -Dorg.bytedeco.javacpp.maxbytes}, the max heap by default)
 * and the machine's physical memory.
 */
public final class MemoryBudget {
    private static final long FLOAT_BYTES = 4;

    private MemoryBudget() {
    }

    /** The estimated off-heap bytes of the spec's network (see the class comment). */
    public static long bytes(ExperimentSpec spec) {
        return FLOAT_BYTES * (2 * parameters(spec.layers().layerSizes()) + UpdaterFactory.create(spec).stateSize(parameters(spec.layers().layerSizes()))
                + activations(spec.layers().layerSizes(), spec.training().batchSize()) + MONITOR_SCRATCH_COPIES * largestWeights(spec.layers().layerSizes()));
    }

    /** The monitor's native measurements that may each hold an aligned copy of the largest parameter array. */
    static final int MONITOR_SCRATCH_COPIES = 5;

    /** The largest parameter array: max over layers of n_in * n_out. */
    static long largestWeights(List<Integer> sizes) {
        long max = 0;
        for (int i = 1; i < sizes.size(); i++) max = Math.max(max, (long) sizes.get(i - 1) * sizes.get(i));
        return max;
    }

    /** P = sum of n_in * n_out + n_out over the dense layers. */
    public static long parameters(List<Integer> sizes) {
        long p = 0;
        for (int i = 1; i < sizes.size(); i++) p += (long) sizes.get(i - 1) * sizes.get(i) + sizes.get(i);
        return p;
    }

    private static long activations(List<Integer> sizes, int batch) {
        long perExample = sizes.get(0);
        for (int i = 1; i < sizes.size(); i++) perExample += 4L * sizes.get(i);
        return perExample * batch;
    }

    /** The bytes a run may use off-heap here: min(JavaCPP's maxBytes, physical memory). */
    public static long limit() {
        long physical = physicalBytes();
        long javacpp = Pointer.maxBytes();
        if (javacpp <= 0) return physical;
        return physical <= 0 ? javacpp : Math.min(javacpp, physical);
    }

    /** Throws one line when the spec's estimate exceeds {@link #limit()}. */
    public static void requireFits(ExperimentSpec spec) {
        requireFits(spec, limit());
    }

    /** {@link #requireFits(ExperimentSpec)} against {@code limit} bytes. */
    static void requireFits(ExperimentSpec spec, long limit) {
        long need = bytes(spec);
        if (need > limit) {
            throw new SpecException(String.format(Locale.ROOT, "spec '%s' needs at least %s of memory (%,d parameters with"
                    + " gradients and %s state in float32, activations at batchSize %d and the monitor's copies), more than the %s this JVM may use"
                    + " (JavaCPP's -Dorg.bytedeco.javacpp.maxbytes, by default the max heap -Xmx, and the machine's memory);"
                    + " use smaller layerSizes or batchSize", spec.name(), human(need), parameters(spec.layers().layerSizes()), spec.optimizer().updater(),
                    spec.training().batchSize(), human(limit)));
        }
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }

    private static long physicalBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
