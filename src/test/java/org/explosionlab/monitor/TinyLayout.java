package org.explosionlab.monitor;

import org.explosionlab.monitor.ParamLayout;

import java.util.List;

/**
 * The parameter layout of a 2-2-1 dense network, written out by hand as DL4J flattens it (each
 * layer's W, [nIn, nOut] in column-major order, then its b):
 * <pre>
 *   index  0  1  2  3 | 4  5 | 6  7 | 8
 *   param  0_W        | 0_b  | 1_W  | 1_b
 *   0_W(i, j) at i + 2·j:  column 0 (weights into hidden unit 0) = indices 0, 1; column 1 = 2, 3
 * </pre>
 */
public final class TinyLayout {
    public static final ParamLayout LAYOUT = new ParamLayout(List.of(
            new ParamLayout.Param("0_W", 0, 0, 2, 2, true),
            new ParamLayout.Param("0_b", 0, 4, 2, 1, true),
            new ParamLayout.Param("1_W", 1, 6, 2, 1, true),
            new ParamLayout.Param("1_b", 1, 8, 1, 1, true)));

    private TinyLayout() {
    }
}
