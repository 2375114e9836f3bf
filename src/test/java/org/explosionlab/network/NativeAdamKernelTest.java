package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeAdamKernel} against {@link MeasuringAdamKernelContract}. The library is built by
 * {@code mvn compile} wherever gcc is installed (CI installs it); a build without it fails here with
 * the reason, unless the kernel is switched off ({@code -Dexplosionlab.nativeAdam=false}).
 */
class NativeAdamKernelTest extends MeasuringAdamKernelContract {
    @BeforeAll
    static void theLibraryIsBuiltAndLoads() {
        assumeTrue(Switches.on(NativeAdamKernel.PROPERTY), "native Adam kernel switched off");
        if (NativeAdamKernel.unavailableReason() != null) {
            throw new AssertionError("native Adam kernel unavailable: " + NativeAdamKernel.unavailableReason()
                    + " (install gcc and rebuild, or run with -D" + NativeAdamKernel.PROPERTY + "=false)");
        }
    }

    @Override
    AdamKernel kernel() {
        return new NativeAdamKernel();
    }

    /** C writes through the buffers' addresses: a heap buffer or one shorter than the block is refused first. */
    @Test
    void refusesBuffersItCouldOverrun() {
        AdamPass p = new AdamPass();
        p.gradient = FloatBuffer.allocate(8);
        p.m = direct(8);
        p.v = direct(8);
        p.length = 8;
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class, () -> kernel().run(p));
        assertEquals("the native Adam kernel needs gradient as a direct native-order buffer of at least 8 floats,"
                + " got a heap buffer of 8 floats", heap.getMessage());
        p.gradient = direct(8);
        p.length = 9;
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class, () -> kernel().run(p));
        assertEquals("the native Adam kernel needs gradient as a direct native-order buffer of at least 9 floats, got 8 floats",
                shorter.getMessage());
        p.length = 8;
        p.gradient = ByteBuffer.allocateDirect(32).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
        IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class, () -> kernel().run(p));
        assertEquals("the native Adam kernel needs gradient as a direct native-order buffer of at least 8 floats,"
                + " got 8 floats in BIG_ENDIAN", swapped.getMessage());
    }

    @Test
    void isTheKernelTheProjectUses() {
        assertInstanceOf(NativeAdamKernel.class, AdamKernel.create());
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
