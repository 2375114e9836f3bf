package org.explosionlab.monitor;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * One figure per parameter array ({@code 0_W → 0.0123, 0_b → …}) as an immutable map in the
 * parameters' flattened order: the keys are the layout's, shared by every map of a run, and the
 * values sit in one {@code double[]}. A recorded step builds six of these ({@link IterationMetrics});
 * a {@link java.util.LinkedHashMap} would allocate an entry and a boxed {@link Double} per parameter
 * (about 14 objects per map on the seed model) in the middle of the training step. Values are boxed
 * only when read. Equal to any {@link Map} with the same entries ({@link AbstractMap#equals}).
 */
final class ParamValues extends AbstractMap<String, Double> {
    private final List<String> keys;
    private final double[] values;

    /**
     * @param keys   the parameter keys in flattened order (shared, not copied)
     * @param values one value per key (kept, not copied: the caller hands it over)
     */
    ParamValues(List<String> keys, double[] values) {
        if (keys.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values for " + keys.size() + " parameters");
        }
        this.keys = keys;
        this.values = values;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Double get(Object key) {
        int i = keys.indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return keys.contains(key);
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (next >= values.length) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys.get(i), values[i]);
                    }
                };
            }
        };
    }

    /** Builds the values of {@code keys} one index at a time. */
    interface ValueAt {
        double at(int param);
    }

    /** A map of {@code keys} to {@code value.at(0…n−1)}. */
    static ParamValues of(List<String> keys, ValueAt value) {
        Objects.requireNonNull(value, "value");
        double[] v = new double[keys.size()];
        for (int i = 0; i < v.length; i++) v[i] = value.at(i);
        return new ParamValues(keys, v);
    }
}
