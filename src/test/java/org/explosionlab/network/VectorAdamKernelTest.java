package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link VectorAdamKernel} against {@link MeasuringAdamKernelContract}. */
class VectorAdamKernelTest extends MeasuringAdamKernelContract {
    @Override
    AdamKernel kernel() {
        return new VectorAdamKernel();
    }

    @Test
    void isTheKernelWhenTheNativeOneIsSwitchedOffAndTheVectorModuleIsLoaded() {
        assertTrue(FusedAdam.vectorModuleLoaded(), "pom.xml's argLine adds jdk.incubator.vector");
        String before = System.getProperty(NativeAdamKernel.PROPERTY);
        System.setProperty(NativeAdamKernel.PROPERTY, "false");
        try {
            assertInstanceOf(VectorAdamKernel.class, AdamKernel.create());
        } finally {
            if (before == null) System.clearProperty(NativeAdamKernel.PROPERTY);
            else System.setProperty(NativeAdamKernel.PROPERTY, before);
        }
    }
}
