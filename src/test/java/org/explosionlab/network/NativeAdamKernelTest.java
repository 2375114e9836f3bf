package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    @Test
    void isTheKernelTheProjectUses() {
        assertInstanceOf(NativeAdamKernel.class, AdamKernel.create());
    }
}
