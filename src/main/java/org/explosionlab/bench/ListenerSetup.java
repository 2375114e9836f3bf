package org.explosionlab.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.explosionlab.monitor.ExplosionMonitor;

/**
 * What listens to a network's training steps in the paired, in-JVM rows of the benchmark. All four
 * train the same DL4J {@link MultiLayerNetwork} (seed-baseline, built by {@code NetworkFactory}) with
 * the same in-memory minibatches; they differ only in the listener, so their block-time ratio is the
 * listener's cost. Where in DL4J's step ({@code StochasticGradientDescent.optimize}) each one works:
 * <ul>
 *   <li>{@code none}: nothing — the reference;</li>
 *   <li>{@code monitor}: {@link ExplosionMonitor#attach}; its listener reads the raw gradient and θ in
 *       {@code onGradientCalculation} (after backprop, before the updater) and the update Δθ in
 *       {@code iterationDone} (after the updater), computes the norms and ratios of
 *       {@code IterationMetrics}, keeps them in memory and feeds its explosion detector — every
 *       iteration;</li>
 *   <li>{@code monitor-10}: the same, {@code ExplosionMonitor.builder().every(10)}: nine steps in ten
 *       only check the iteration number;</li>
 *   <li>{@code stats}: DL4J's own {@link StatsListener} into an {@link InMemoryStatsStorage}, for
 *       comparison, with its defaults: in {@code iterationDone} of every 10th iteration
 *       ({@code DefaultStatsUpdateConfiguration}'s reporting frequency) score, learning rates, parameter /
 *       gradient / update histograms and mean magnitudes, memory, GC and timing figures; on the other
 *       iterations it still times the step;</li>
 *   <li>{@code stats-1}: the same, reporting every iteration ({@code new StatsListener(storage, 1)}), the
 *       like-for-like comparison with {@code monitor}.</li>
 * </ul>
 */
public enum ListenerSetup {
    NONE("none", "DL4J MultiLayerNetwork.fit(batch), no listener (reference)"),
    MONITOR("monitor", "+ ExplosionMonitor.attach(net): records every iteration"),
    MONITOR_EVERY_10("monitor-10", "+ ExplosionMonitor.builder().every(10).attach(net)"),
    STATS("stats", "+ DL4J StatsListener(new InMemoryStatsStorage()), its defaults: reports every 10th iteration"),
    STATS_EVERY_1("stats-1", "+ DL4J StatsListener(new InMemoryStatsStorage(), 1): reports every iteration");

    private final String id;
    private final String label;

    ListenerSetup(String id, String label) {
        this.id = id;
        this.label = label;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** Adds this setup's listener to {@code net}; {@link Attached#close()} removes it. */
    Attached attach(MultiLayerNetwork net) {
        return switch (this) {
            case NONE -> new Attached() {
                @Override
                public String summary() {
                    return "no listener";
                }

                @Override
                public void close() {
                }
            };
            case MONITOR, MONITOR_EVERY_10 -> {
                ExplosionMonitor m = this == MONITOR ? ExplosionMonitor.attach(net) : ExplosionMonitor.builder().every(10).attach(net);
                yield new Attached() {
                    @Override
                    public String summary() {
                        var verdict = m.verdict();
                        String first = verdict.events().isEmpty() ? "" : String.format(Locale.ROOT, " (%d events; first at iteration %d: %s)",
                                verdict.events().size(), verdict.events().get(0).iteration(), verdict.events().get(0).message());
                        return String.format(Locale.ROOT, "%,d of %,d iterations recorded, verdict %s%s", m.metrics().size(),
                                net.getIterationCount(), verdict.kind(), first);
                    }

                    @Override
                    public void close() {
                        m.close();
                    }
                };
            }
            case STATS, STATS_EVERY_1 -> {
                InMemoryStatsStorage storage = new InMemoryStatsStorage();
                StatsListener listener = this == STATS ? new StatsListener(storage) : new StatsListener(storage, 1);
                net.addListeners(listener);
                yield new Attached() {
                    @Override
                    public String summary() {
                        int updates = storage.listSessionIDs().stream().mapToInt(storage::getNumUpdateRecordsFor).sum();
                        return String.format(Locale.ROOT, "%,d stats updates stored for %,d iterations", updates, net.getIterationCount());
                    }

                    @Override
                    public void close() {
                        var kept = new java.util.ArrayList<>(net.getListeners());
                        kept.remove(listener);
                        net.setListeners(kept);
                    }
                };
            }
        };
    }

    /** A listener on a network: what it recorded, and how to take it off. */
    interface Attached extends AutoCloseable {
        /** One line on what the listener saw (a check that it really ran). */
        String summary();

        @Override
        void close();
    }

    /** The setup with this id; an unknown id gets a one-line message listing the valid ones. */
    public static ListenerSetup byId(String id) {
        for (ListenerSetup s : values()) {
            if (s.id.equalsIgnoreCase(id.trim())) return s;
        }
        throw new IllegalArgumentException("unknown listener row '" + id.trim() + "'; use one of "
                + Arrays.stream(values()).map(ListenerSetup::id).collect(Collectors.joining(", ")));
    }

    /**
     * Setups from a comma-separated list of ids, in that order; the first is the reference of the costs
     * and must be {@code none}, every id at most once.
     */
    public static List<ListenerSetup> parseList(String ids) {
        List<ListenerSetup> list = Arrays.stream(ids.split(",")).filter(s -> !s.isBlank()).map(ListenerSetup::byId).toList();
        if (list.size() < 2 || list.get(0) != NONE) {
            throw new IllegalArgumentException("--listeners needs 'none' first (the reference) and at least one listener, got '" + ids + "'");
        }
        if (list.stream().distinct().count() != list.size()) throw new IllegalArgumentException("--listeners repeats a row: '" + ids + "'");
        return list;
    }
}
