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
        assertInstanceOf(VectorAdamKernel.class, TestSpecs.withProperty(NativeAdamKernel.PROPERTY, "false", AdamKernel::create));
    }
}
