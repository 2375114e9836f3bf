package org.explosionlab.network;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native float32 memory behind an INDArray, for BLAS calls and Java loops without copies. In
 * ND4J 1.0.0-M2.1 a view's {@code data().addressPointer()} already points at the view's first
 * element (its offset is inside the view's buffer), so no offset is added here; the test checks it.
 */
final class NativeFloats {
    private NativeFloats() {
    }

    /** True if {@code a} is float32 with its elements contiguous in memory (any order). */
    static boolean contiguous(INDArray a) {
        return a != null && a.dataType() == DataType.FLOAT && a.elementWiseStride() == 1 && !a.isEmpty()
                && a.length() <= Integer.MAX_VALUE;
    }

    /** A pointer at the first element of a contiguous float32 array, limited to its length. */
    static FloatPointer pointer(INDArray a) {
        if (!contiguous(a)) {
            throw new IllegalArgumentException("expected a contiguous float32 array, got " + a.dataType() + " "
                    + java.util.Arrays.toString(a.shape()) + " with element stride " + a.elementWiseStride());
        }
        FloatPointer p = new FloatPointer(a.data().addressPointer());
        return p.capacity(a.length()).limit(a.length());
    }

    /** A native-order buffer over the elements of a contiguous float32 array (no copy). */
    static FloatBuffer buffer(INDArray a) {
        return pointer(a).asBuffer();
    }
}
