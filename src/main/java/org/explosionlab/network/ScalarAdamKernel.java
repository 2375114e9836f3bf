package org.explosionlab.network;

import java.nio.FloatBuffer;

/**
 * {@link AdamKernel} in plain Java: each chunk of {@link #CHUNK} elements is copied from native memory
 * into small arrays that stay in the L1 cache, updated there (a loop HotSpot's C2 vectorizes), and
 * copied back. Does not measure; {@code StepProbe} then measures in separate BLAS passes.
 */
final class ScalarAdamKernel implements AdamKernel {
    /** Elements per chunk: 4 × 2048 floats = 32 KiB of scratch. */
    static final int CHUNK = 2048;
    private final float[] g = new float[CHUNK];
    private final float[] m = new float[CHUNK];
    private final float[] v = new float[CHUNK];
    private final float[] t = new float[CHUNK];

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public boolean measures() {
        return false;
    }

    @Override
    public void run(AdamPass p) {
        if (p.figures != null) throw new IllegalStateException("the scalar Adam kernel does not measure");
        float beta1 = p.beta1, beta2 = p.beta2, epsilon = p.epsilon, alpha = p.alpha;
        float keep1 = 1 - beta1;
        float keep2 = 1 - beta2;
        float k = p.divisor;
        FloatBuffer gb = p.gradient, mb = p.m, vb = p.v, tb = p.params;
        for (int start = 0; start < p.length; start += CHUNK) {
            int len = Math.min(CHUNK, p.length - start);
            gb.get(start, g, 0, len);
            mb.get(start, m, 0, len);
            vb.get(start, v, 0, len);
            if (AdamPass.exactReciprocal(p.divisor)) {
                float inverse = 1f / k;              // exact: same bits as g / k
                for (int i = 0; i < len; i++) g[i] *= inverse;
            } else {
                for (int i = 0; i < len; i++) g[i] /= k;
            }
            for (int i = 0; i < len; i++) {
                float gi = g[i];
                float mi = beta1 * m[i] + gi * keep1;
                float vi = beta2 * v[i] + gi * gi * keep2;
                m[i] = mi;
                v[i] = vi;
                g[i] = (mi * alpha) / ((float) Math.sqrt(vi) + epsilon);
            }
            gb.put(start, g, 0, len);
            mb.put(start, m, 0, len);
            vb.put(start, v, 0, len);
            if (tb != null) {
                tb.get(start, t, 0, len);
                for (int i = 0; i < len; i++) t[i] -= g[i];
                tb.put(start, t, 0, len);
            }
        }
    }
}
