package org.explosionlab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.explosionlab.spec.EventKind;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.training.RunSummary;

/**
 * The repeats of a sweep grouped: points that differ only in their seed ({@link SweepPoint#group()})
 * become one {@link Group}, in the order their first point appears. This is the API the comparison
 * files and {@code sweep.html} use; {@link #markdown()} and {@link #csv()} format it.
 */
public final class SeedGroups {
    private static final List<String> HEADER = List.of("group", "runs", "test acc mean", "test acc min–max",
            "explosion rate", "median first explosion", "verdicts", "not finished");
    private final List<Group> groups;

    /**
     * One group of repeats.
     *
     * @param group                  the label without {@code seed=…}
     * @param runs                   points in the group
     * @param finished               of those, the ones with a summary (the statistics use only these)
     * @param meanAccuracy           mean test accuracy (NaN when none finished)
     * @param minAccuracy            lowest test accuracy
     * @param maxAccuracy            highest test accuracy
     * @param explosionRate          share of finished runs whose gradient blew up ({@code Verdict.exploded()}:
     *                               an explosion or non-finite event, recovered or not)
     * @param medianFirstExplosion   median over those runs of the iteration of their first explosion or
     *                               non-finite event (the mean of the middle two for an even count); null when none blew up
     * @param verdicts               count of each verdict kind, most frequent first
     */
    public record Group(String group, int runs, int finished, double meanAccuracy, double minAccuracy, double maxAccuracy,
                        double explosionRate, Double medianFirstExplosion, Map<String, Integer> verdicts) {
    }

    private SeedGroups(List<Group> groups) {
        this.groups = List.copyOf(groups);
    }

    /** Groups the outcomes of a sweep. */
    public static SeedGroups of(List<PointOutcome> outcomes) {
        Map<String, List<PointOutcome>> byGroup = new LinkedHashMap<>();
        for (PointOutcome o : outcomes) byGroup.computeIfAbsent(o.point().group(), g -> new ArrayList<>()).add(o);
        List<Group> groups = new ArrayList<>();
        byGroup.forEach((name, list) -> groups.add(group(name, list)));
        return new SeedGroups(groups);
    }

    private static Group group(String name, List<PointOutcome> list) {
        List<RunSummary> done = list.stream().filter(o -> o.summary() != null && o.summary().results() != null)
                .map(PointOutcome::summary).toList();
        double[] acc = done.stream().mapToDouble(s -> s.results().testAccuracy()).toArray();
        List<Long> firsts = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        for (RunSummary s : done) {
            kinds.merge(s.verdict().kind().label(), 1, Integer::sum);
            s.verdict().events().stream().filter(e -> e.kind() == EventKind.EXPLOSION || e.kind() == EventKind.NONFINITE)
                    .mapToLong(ExplosionEvent::iteration).min().ifPresent(firsts::add);
        }
        Map<String, Integer> sortedKinds = new LinkedHashMap<>();
        kinds.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> sortedKinds.put(e.getKey(), e.getValue()));
        return new Group(name, list.size(), done.size(),
                acc.length == 0 ? Double.NaN : java.util.Arrays.stream(acc).average().orElse(Double.NaN),
                java.util.Arrays.stream(acc).min().orElse(Double.NaN), java.util.Arrays.stream(acc).max().orElse(Double.NaN),
                done.isEmpty() ? Double.NaN : (double) firsts.size() / done.size(), median(firsts), sortedKinds);
    }

    /** The median of {@code values}; the mean of the middle two for an even count; null when empty. */
    static Double median(List<Long> values) {
        if (values.isEmpty()) return null;
        List<Long> v = values.stream().sorted().toList();
        int n = v.size();
        return n % 2 == 1 ? (double) v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2.0;
    }

    /**
     * An iteration number as a table shows it: {@code 0}, {@code 1234}, {@code 12345} (not {@code %.4g}'s {@code 0.000} or
     * {@code 1.235e+04}); a median between two iterations keeps its half ({@code 12.5}); {@code -} for none.
     */
    static String iteration(Double median) {
        if (median == null) return "-";
        return median == Math.rint(median) ? Long.toString(median.longValue()) : String.format(Locale.ROOT, "%.1f", median);
    }

    public List<Group> groups() {
        return groups;
    }

    /** True when some group holds more than one point, i.e. the sweep repeats points over seeds. */
    public boolean hasRepeats() {
        return groups.stream().anyMatch(g -> g.runs() > 1);
    }

    private static List<String> cells(Group g) {
        String verdicts = String.join(", ", g.verdicts().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
        return List.of(g.group(), Integer.toString(g.runs()), ComparisonTable.fixed(g.meanAccuracy(), 4),
                Double.isNaN(g.minAccuracy()) ? "-" : String.format(Locale.ROOT, "%.4f–%.4f", g.minAccuracy(), g.maxAccuracy()),
                Double.isNaN(g.explosionRate()) ? "-" : String.format(Locale.ROOT, "%d/%d", Math.round(g.explosionRate() * g.finished()), g.finished()),
                iteration(g.medianFirstExplosion()),
                verdicts.isEmpty() ? "-" : verdicts, Integer.toString(g.runs() - g.finished()));
    }

    /** The groups as a table for sweep.html (null without repeats). */
    public org.explosionlab.report.SweepReport.GroupTable table() {
        if (!hasRepeats()) return null;
        return new org.explosionlab.report.SweepReport.GroupTable(HEADER, groups.stream().map(SeedGroups::cells).toList());
    }

    /** Fixed-width columns for a terminal. */
    public String console() {
        return ComparisonTable.align(HEADER, groups.stream().map(SeedGroups::cells).toList());
    }

    public String markdown() {
        return ComparisonTable.markdown(HEADER, groups.stream().map(SeedGroups::cells).toList());
    }

    public String csv() {
        StringBuilder sb = new StringBuilder("group,runs,finished,test_accuracy_mean,test_accuracy_min,test_accuracy_max,"
                + "explosion_rate,median_first_explosion_iteration,verdicts\n");
        for (Group g : groups) {
            String verdicts = String.join(" ", g.verdicts().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList());
            sb.append(String.join(",", ComparisonTable.csvField(g.group()), Integer.toString(g.runs()), Integer.toString(g.finished()),
                    Double.toString(g.meanAccuracy()), Double.toString(g.minAccuracy()), Double.toString(g.maxAccuracy()),
                    Double.toString(g.explosionRate()), g.medianFirstExplosion() == null ? "" : iteration(g.medianFirstExplosion()),
                    ComparisonTable.csvField(verdicts))).append('\n');
        }
        return sb.toString();
    }
}
