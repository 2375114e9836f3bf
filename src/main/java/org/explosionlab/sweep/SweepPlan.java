package org.explosionlab.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecException;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.run.RunFiles;

/**
 * Builds the list of runs of a sweep, every spec resolved and validated before anything runs: either a
 * list of presets, or the cartesian product of {@link GridAxis grid axes} over one base spec (first axis
 * slowest, as nested loops in the order given). {@code common} overrides ({@code --set}, {@code --epochs})
 * apply to every run, before the grid values.
 */
public final class SweepPlan {
    /** Longest run name a spec accepts (see ExperimentSpec.NAME). */
    static final int MAX_NAME = 80;

    private SweepPlan() {
    }

    /** One run per preset, in the order given. */
    public static List<SweepPoint> presets(List<String> names, List<String> common) {
        if (names.isEmpty()) throw new SpecException("--presets: no preset given; e.g. --presets seed-baseline,bad-init");
        List<SweepPoint> points = new ArrayList<>();
        for (String n : names) {
            ExperimentSpec spec = SpecOverrides.apply(Presets.load(n.trim()), common);
            points.add(new SweepPoint(spec.name(), spec));
        }
        return unique(points);
    }

    /** Every combination of the axes' values applied to {@code base}; the label is {@code base[k1=v1,k2=v2]}. */
    public static List<SweepPoint> grid(ExperimentSpec base, List<GridAxis> axes, List<String> common) {
        if (axes.isEmpty()) throw new SpecException("--grid: no axis given; e.g. --grid learningRate=0.01,0.1");
        Set<String> keys = new HashSet<>();
        for (GridAxis a : axes) {
            if (!keys.add(a.key())) throw new SpecException("--grid " + a.key() + " given twice; list all its values in one --grid");
        }
        ExperimentSpec start = SpecOverrides.apply(base, common);
        List<SweepPoint> points = new ArrayList<>();
        int[] index = new int[axes.size()];
        while (true) {
            List<String> assignments = new ArrayList<>();
            for (int a = 0; a < axes.size(); a++) assignments.add(axes.get(a).assignment(index[a]));
            String label = start.name() + "[" + String.join(",", assignments) + "]";
            try {
                ExperimentSpec spec = SpecOverrides.with(SpecOverrides.apply(start, assignments), "name", dirName(label));
                points.add(new SweepPoint(label, spec));
            } catch (SpecException e) {
                throw new SpecException("grid point " + label + ": " + e.getMessage(), e);
            }
            int a = axes.size() - 1;
            while (a >= 0 && ++index[a] == axes.get(a).values().size()) index[a--] = 0;
            if (a < 0) break;
        }
        return unique(points);
    }

    /**
     * Every point once per variant, a variant being a name and a set of {@code --set} assignments
     * ({@code --variant NAME:key=value,key=value}, e.g. {@code global_l2-1.0:clipping=global_l2,clipThreshold=1.0};
     * {@code none:} changes nothing): the assignments that define a remedy, an architecture and so on
     * together, which one grid axis over one field cannot. Labels gain {@code variant=NAME}. An empty
     * list returns the points unchanged.
     */
    public static List<SweepPoint> withVariants(List<SweepPoint> points, List<String> variants) {
        if (variants.isEmpty()) return List.copyOf(points);
        List<String> names = new ArrayList<>();
        List<List<String>> sets = new ArrayList<>();
        for (String v : variants) {
            int colon = v.indexOf(':');
            String name = colon < 0 ? "" : v.substring(0, colon).trim();
            if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+")) {
                throw new SpecException("--variant " + v + ": expected NAME:key=value,key=value (NAME of letters, digits, '.', '_', '-'),"
                        + " e.g. --variant global_l2-1.0:clipping=global_l2,clipThreshold=1.0 or --variant none:");
            }
            if (names.contains(name)) throw new SpecException("--variant " + name + " given twice; name each variant once");
            String rest = v.substring(colon + 1).trim();
            names.add(name);
            sets.add(rest.isEmpty() ? List.of() : GridAxis.splitTopLevel(rest, v));
        }
        List<SweepPoint> out = new ArrayList<>();
        for (SweepPoint p : points) {
            for (int i = 0; i < names.size(); i++) {
                String label = p.label().endsWith("]")
                        ? p.label().substring(0, p.label().length() - 1) + ",variant=" + names.get(i) + "]"
                        : p.label() + "[variant=" + names.get(i) + "]";
                try {
                    ExperimentSpec spec = SpecOverrides.with(SpecOverrides.apply(p.spec(), sets.get(i)), "name", dirName(label));
                    out.add(new SweepPoint(label, spec));
                } catch (SpecException e) {
                    throw new SpecException("--variant " + names.get(i) + " on " + p.label() + ": " + e.getMessage(), e);
                }
            }
        }
        return unique(out);
    }

    /**
     * Every point repeated {@code seeds} times with seeds s, s+1, ..., s+seeds-1, where s is the point's
     * own seed (42 for the presets, so {@code --seeds 5} runs 42–46); each label gains {@code seed=…}
     * ({@code high-lr[seed=43]}, {@code base[learningRate=0.1,seed=43]}), so that
     * {@link SweepPoint#group()} puts the repeats together. {@code seeds == 1} returns the points unchanged.
     */
    public static List<SweepPoint> withSeeds(List<SweepPoint> points, int seeds) {
        if (seeds < 1) throw new SpecException("--seeds must be >= 1, got " + seeds);
        if (seeds == 1) return List.copyOf(points);
        List<SweepPoint> out = new ArrayList<>();
        for (SweepPoint p : points) {
            if (p.spec().training().seed() > Long.MAX_VALUE - (seeds - 1)) {            // s + N - 1 would wrap round to negative seeds
                throw new SpecException("--seeds " + seeds + ": point " + p.label() + " has seed " + p.spec().training().seed() + ", and "
                        + p.spec().training().seed() + " + " + (seeds - 1) + " passes the largest seed, " + Long.MAX_VALUE
                        + "; set a smaller seed (--set seed=N) or fewer --seeds");
            }
            for (int i = 0; i < seeds; i++) {
                long seed = p.spec().training().seed() + i;
                String label = p.label().endsWith("]")
                        ? p.label().substring(0, p.label().length() - 1) + ",seed=" + seed + "]"
                        : p.label() + "[seed=" + seed + "]";
                ExperimentSpec spec = SpecOverrides.with(SpecOverrides.with(p.spec(), "seed", seed), "name", dirName(label));
                out.add(new SweepPoint(label, spec));
            }
        }
        return unique(out);
    }

    /**
     * How many points a sweep will have, computed before any spec is built (so that a grid of a million
     * points is refused at once): {@code runs} (presets, or 1 for a grid) × every axis's value count ×
     * {@code seeds}; {@link Long#MAX_VALUE} when that overflows.
     */
    public static long count(int runs, List<GridAxis> axes, int seeds) {
        long n = Math.max(runs, 0);
        try {
            for (GridAxis a : axes) n = Math.multiplyExact(n, a.values().size());
            return Math.multiplyExact(n, Math.max(seeds, 1));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * A label made safe as a directory and spec name: {@code base[weightInit=RELU,learningRate=0.1]} →
     * {@code base_weightInit-RELU_learningRate-0.1}. '=' becomes '-', '[' and ',' become '_', any other
     * character outside {@code [A-Za-z0-9._-]} becomes '_' (runs of '_' collapse, none at the end).
     */
    public static String dirName(String label) {
        String s = label.replace('=', '-').replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("_+$", "");
        if (s.isEmpty()) s = "run";
        return s.length() <= MAX_NAME ? s : s.substring(0, MAX_NAME - 9) + "-" + Integer.toHexString(label.hashCode() & 0x7fffffff);
    }

    /**
     * Fails when {@code p}'s directory would take the name of a file the sweep itself writes into its
     * directory ({@code sweep.json}, {@code sweep.html}, {@code comparison.csv}, a chart PNG, ...): a point
     * named so would make the sweep's own files unwritable.
     */
    public static void requireOwnDirectory(SweepPoint p) {
        String d = p.dirName();
        if (RunFiles.WRITTEN.contains(d) || d.endsWith(".png")) {
            throw new SpecException("run name '" + d + "' is the name of a file the sweep writes into its directory;"
                    + " give the run another name (--set name=...)");
        }
    }

    private static List<SweepPoint> unique(List<SweepPoint> points) {
        Set<String> seen = new HashSet<>();
        for (SweepPoint p : points) {
            requireOwnDirectory(p);
            if (!seen.add(p.dirName())) {
                throw new SpecException("two runs of the sweep would share the directory '" + p.dirName() + "'; list each preset or value once");
            }
        }
        return List.copyOf(points);
    }
}
