package org.explosionlab.sweep;

import org.explosionlab.spec.ExperimentSpec;

/**
 * One run of a sweep.
 *
 * @param label the name shown in tables, e.g. {@code seed-baseline[weightInit=RELU,learningRate=0.1]}
 * @param spec  the resolved spec; its {@code name} is the label made safe for a directory name
 */
public record SweepPoint(String label, ExperimentSpec spec) {

    /** Directory of this run inside the sweep's output directory. */
    public String dirName() {
        return spec.name();
    }

    /**
     * The label without its {@code seed=...} assignment: the points that differ only in their seed (the
     * repeats of {@code --seeds N} or {@code --grid seed=1,2,3}) share a group, e.g.
     * {@code high-lr[seed=43]} → {@code high-lr}, {@code base[seed=1,learningRate=0.1]} → {@code base[learningRate=0.1]}.
     */
    public String group() {
        return groupOf(label);
    }

    static String groupOf(String label) {
        int open = label.indexOf('[');
        if (open < 0 || !label.endsWith("]")) return label;
        String inside = label.substring(open + 1, label.length() - 1);
        String rest;
        try {
            rest = String.join(",", GridAxis.splitTopLevel(inside, label).stream().filter(a -> !a.strip().startsWith("seed=")).toList());
        } catch (RuntimeException e) {
            return label;                   // not a grid label: its own group
        }
        return rest.isEmpty() ? label.substring(0, open) : label.substring(0, open) + "[" + rest + "]";
    }
}
