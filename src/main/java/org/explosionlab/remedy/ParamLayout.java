package org.explosionlab.remedy;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each parameter lives in DL4J's flattened parameter / gradient vector. DL4J stores a dense
 * layer's {@code W} ({@code [nIn, nOut]}) in column-major ('f') order followed by its {@code b}, layer
 * after layer; so column j of W (the weights into output unit j) is the contiguous run
 * {@code offset + j·nIn … offset + (j+1)·nIn}.
 *
 * @param params parameters in flattened order
 */
public record ParamLayout(List<Param> params) {

    /**
     * One parameter array.
     *
     * @param key    DL4J's key, e.g. {@code 0_W}
     * @param layer  layer index (0 = first hidden layer)
     * @param offset first element in the flattened vector
     * @param rows   nIn for a weight matrix, 1 for a bias
     * @param cols   nOut
     */
    public record Param(String key, int layer, int offset, int rows, int cols) {
        public int length() {
            return rows * cols;
        }

        public boolean isBias() {
            return key.endsWith("_b");
        }
    }

    public ParamLayout {
        params = List.copyOf(params);
    }

    /** The layout of a dense MLP with the given layer sizes (W then b per layer). */
    public static ParamLayout ofDenseLayers(List<Integer> layerSizes) {
        List<Param> ps = new ArrayList<>();
        int off = 0;
        for (int l = 0; l + 1 < layerSizes.size(); l++) {
            int nIn = layerSizes.get(l);
            int nOut = layerSizes.get(l + 1);
            ps.add(new Param(l + "_W", l, off, nIn, nOut));
            off += nIn * nOut;
            ps.add(new Param(l + "_b", l, off, 1, nOut));
            off += nOut;
        }
        return new ParamLayout(ps);
    }

    public int size() {
        return params.size();
    }

    public Param get(int i) {
        return params.get(i);
    }

    public int layers() {
        return params.isEmpty() ? 0 : params.get(params.size() - 1).layer() + 1;
    }

    /** Total number of elements. */
    public int length() {
        Param last = params.get(params.size() - 1);
        return last.offset() + last.length();
    }

    public List<String> keys() {
        return params.stream().map(Param::key).toList();
    }
}
