package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link NdBuffers} on a view that starts inside its buffer (offset 3): the view's elements, no others. */
class NdBuffersTest {

    @Test
    void copiesAndWritesTheElementsOfAViewAtAnOffset() {
        var flat = Nd4j.createFromArray(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f).reshape(1, 8);
        var view = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 7));
        float[] values = new float[4];
        NdBuffers.copy(view, values);
        assertArrayEquals(new float[] {3f, 4f, 5f, 6f}, values);
        NdBuffers.write(new float[] {-1f, -2f, -3f, -4f}, view);
        assertArrayEquals(new float[] {0f, 1f, 2f, -1f, -2f, -3f, -4f, 7f}, flat.toFloatVector());
    }
}
