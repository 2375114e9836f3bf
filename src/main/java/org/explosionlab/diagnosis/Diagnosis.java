package org.explosionlab.diagnosis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * What can be seen before the first training step, for any DL4J {@link MultiLayerNetwork} or {@link ComputationGraph}:
 * <pre>
 * Diagnosis d = Diagnosis.of(conf, trainIter);       // reads at most 4 minibatches, then resets trainIter
 * d.findings().forEach(System.out::println);
 * if (d.hasSevere()) ...                              // fix before training
 * // with options:
 * Diagnosis.builder().sampleBatches(2).normalizer(myNormalizer).run(net, trainIter);
 * </pre>
 * It runs every {@link Check}: the configuration checks always; the data checks on at most {@link #DEFAULT_SAMPLE_BATCHES}
 * minibatches of the iterator (copied, never the whole set; the iterator is reset afterwards when it supports it); and
 * {@code first-step-gradient}, one DL4J training step on a copy of the network on the first sampled minibatch (the
 * user's network, parameters and updater state are never touched). Without an iterator ({@link #ofConfiguration}), the
 * data and first-step checks are skipped and say so in {@link #skipped()}.
 *
 * <p>Data checks read a {@link DataSetIterator}; a ComputationGraph is sampled through it as a single-input,
 * single-output graph (its last output layer is the one the labels are checked against).
 */
public final class Diagnosis {
    /** Minibatches read from the iterator by default. */
    public static final int DEFAULT_SAMPLE_BATCHES = 4;

    private final String network;
    private final int layers;
    private final int sampledBatches;
    private final int sampledRows;
    private final List<Finding> findings;
    private final List<Check> ran;
    private final Map<Check, String> skipped;

    private Diagnosis(String network, int layers, int sampledBatches, int sampledRows, List<Finding> findings, List<Check> ran,
                      Map<Check, String> skipped) {
        this.network = network;
        this.layers = layers;
        this.sampledBatches = sampledBatches;
        this.sampledRows = sampledRows;
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::check));
        this.findings = List.copyOf(sorted);
        this.ran = List.copyOf(ran);
        this.skipped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }

    public static Diagnosis of(MultiLayerConfiguration conf, DataSetIterator sample) {
        return builder().run(conf, sample);
    }

    public static Diagnosis of(ComputationGraphConfiguration conf, DataSetIterator sample) {
        return builder().run(conf, sample);
    }

    /** The network's configuration and data; the first step is taken on {@code net.clone()} (its current parameters and updater state). */
    public static Diagnosis of(MultiLayerNetwork net, DataSetIterator sample) {
        return builder().run(net, sample);
    }

    public static Diagnosis of(ComputationGraph net, DataSetIterator sample) {
        return builder().run(net, sample);
    }

    /** The configuration checks only (no data, no step): what {@code ExplosionMonitor} runs when attached. */
    public static Diagnosis ofConfiguration(MultiLayerConfiguration conf) {
        return builder().run(conf, null);
    }

    public static Diagnosis ofConfiguration(ComputationGraphConfiguration conf) {
        return builder().run(conf, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every finding, most severe first. */
    public List<Finding> findings() {
        return findings;
    }

    /** The findings of one check. */
    public List<Finding> findings(Check check) {
        return findings.stream().filter(f -> f.check() == check).toList();
    }

    /** The severe findings. */
    public List<Finding> severe() {
        return findings.stream().filter(Finding::severe).toList();
    }

    public boolean hasSevere() {
        return findings.stream().anyMatch(Finding::severe);
    }

    /** The checks that ran (found something or not). */
    public List<Check> checksRun() {
        return ran;
    }

    /** The checks that did not run, with the reason (no data sampled, first step turned off). */
    public Map<Check, String> skipped() {
        return skipped;
    }

    public int sampledBatches() {
        return sampledBatches;
    }

    public int sampledRows() {
        return sampledRows;
    }

    /** The findings as text: a header line, then per finding its severity, check id, what it saw, why, the source and the fix. */
    public String toText() {
        StringBuilder b = new StringBuilder(headline()).append('\n');
        for (Finding f : findings) {
            b.append(String.format(Locale.ROOT, "%-7s %s  %s: %s%n", f.severity().label().toUpperCase(Locale.ROOT), f.check().id(), f.where(), f.saw()));
            b.append("        why: ").append(f.why()).append(" [").append(f.source()).append("]\n");
            b.append("        fix: ").append(f.fixDl4j());
            if (f.fixSet() != null) b.append("   (explosion-lab: --set ").append(f.fixSet()).append(')');
            b.append('\n');
        }
        if (!skipped.isEmpty()) {
            b.append("skipped: ");
            List<String> s = new ArrayList<>();
            skipped.forEach((c, why) -> s.add(c.id() + " (" + why + ")"));
            b.append(String.join(", ", s)).append('\n');
        }
        return b.toString();
    }

    /** One line: the network, what was sampled, the counts per severity. */
    public String headline() {
        long severe = count(Severity.SEVERE), warn = count(Severity.WARNING), info = count(Severity.INFO);
        String data = sampledBatches == 0 ? "configuration only" : sampledBatches + " minibatch(es), " + sampledRows + " rows sampled";
        return String.format(Locale.ROOT, "diagnosis of a %s (%d layers), %s, %d checks run: %d severe, %d warning, %d info",
                network, layers, data, ran.size(), severe, warn, info);
    }

    private long count(Severity s) {
        return findings.stream().filter(f -> f.severity() == s).count();
    }

    @Override
    public String toString() {
        return headline();
    }

    /** The diagnosis as a JSON document: network, sample, severe flag, the checks run and skipped, and every finding. */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .setSerializationInclusion(JsonInclude.Include.ALWAYS);
        ObjectNode root = mapper.createObjectNode();
        root.put("network", network);
        root.put("layers", layers);
        root.put("sampledBatches", sampledBatches);
        root.put("sampledRows", sampledRows);
        root.put("severe", hasSevere());
        ArrayNode run = root.putArray("checksRun");
        ran.forEach(c -> run.add(c.id()));
        ObjectNode sk = root.putObject("skipped");
        skipped.forEach((c, why) -> sk.put(c.id(), why));
        ArrayNode fs = root.putArray("findings");
        for (Finding f : findings) {
            ObjectNode n = fs.addObject();
            n.put("check", f.check().id());
            n.put("severity", f.severity().label());
            n.put("where", f.where());
            n.put("saw", f.saw());
            ObjectNode nums = n.putObject("numbers");
            f.numbers().forEach((k, v) -> {
                if (Double.isFinite(v)) nums.put(k, v); else nums.put(k, String.valueOf(v));
            });
            n.put("why", f.why());
            n.put("source", f.source());
            n.put("fixDl4j", f.fixDl4j());
            if (f.fixSet() == null) n.putNull("fixSet"); else n.put("fixSet", "--set " + f.fixSet());
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options of a diagnosis; every one has a default. */
    public static final class Builder {
        private int sampleBatches = DEFAULT_SAMPLE_BATCHES;
        private boolean firstStep = true;
        private DataNormalization normalizer;
        private String clippedBy;

        private Builder() {
        }

        /** Read at most {@code n} minibatches (default {@value #DEFAULT_SAMPLE_BATCHES}). */
        public Builder sampleBatches(int n) {
            if (n < 1) throw new IllegalArgumentException("sampleBatches must be >= 1, got " + n);
            this.sampleBatches = n;
            return this;
        }

        /** Take one training step on a copy of the network (default true). */
        public Builder firstStep(boolean on) {
            this.firstStep = on;
            return this;
        }

        /** The normalizer the user fitted: checked to be the iterator's pre-processor ({@code normalizer-not-attached}). */
        public Builder normalizer(DataNormalization normalizer) {
            this.normalizer = normalizer;
            return this;
        }

        /**
         * The gradient is clipped before DL4J's updater by something outside the configuration (e.g. a remedy of this
         * project's monitor), described in words; learning-rate and first-step findings take it into account.
         */
        public Builder clippedBy(String description) {
            this.clippedBy = description;
            return this;
        }

        public Diagnosis run(MultiLayerConfiguration conf, DataSetIterator sample) {
            return diagnose(NetworkView.of(Objects.requireNonNull(conf, "conf")), conf, sample);
        }

        public Diagnosis run(ComputationGraphConfiguration conf, DataSetIterator sample) {
            return diagnose(NetworkView.of(Objects.requireNonNull(conf, "conf")), conf, sample);
        }

        public Diagnosis run(MultiLayerNetwork net, DataSetIterator sample) {
            return diagnose(NetworkView.of(net.getLayerWiseConfigurations()), net, sample);
        }

        public Diagnosis run(ComputationGraph net, DataSetIterator sample) {
            return diagnose(NetworkView.of(net.getConfiguration()), net, sample);
        }

        private Diagnosis diagnose(NetworkView view, Object netOrConf, DataSetIterator iterator) {
            List<Finding> found = new ArrayList<>();
            EnumSet<Check> ran = EnumSet.noneOf(Check.class);
            Map<Check, String> skipped = new LinkedHashMap<>();
            found.addAll(ConfigChecks.learningRate(view, clippedBy));
            found.addAll(ConfigChecks.lossActivation(view));
            found.addAll(ConfigChecks.recurrentClipping(view, clippedBy));
            found.addAll(ConfigChecks.dropout(view));
            found.addAll(ConfigChecks.l2(view));
            found.addAll(ConfigChecks.init(view));
            found.addAll(ConfigChecks.deepSaturating(view));
            ran.addAll(List.of(Check.LEARNING_RATE_RANGE, Check.LOSS_ACTIVATION_MISMATCH, Check.RECURRENT_WITHOUT_CLIPPING,
                    Check.DROPOUT_RETAIN_PROBABILITY, Check.L2_TOO_LARGE, Check.INIT_ACTIVATION_MISMATCH, Check.DEEP_SATURATING_STACK));
            List<Check> dataChecks = List.of(Check.UNNORMALIZED_INPUT, Check.CONSTANT_FEATURE, Check.NORMALIZER_NOT_ATTACHED,
                    Check.UNSCALED_REGRESSION_LABELS, Check.LABELS_INVALID);
            DataSample sample = null;
            String failure = null;
            if (iterator != null) {
                try {
                    sample = DataSample.read(iterator, sampleBatches);
                } catch (RuntimeException e) {       // e.g. an unfitted normalizer as pre-processor: training would fail the same way
                    failure = "the iterator threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
                    found.addAll(DataChecks.normalizer(null, iterator.getPreProcessor(), normalizer));
                    ran.add(Check.NORMALIZER_NOT_ATTACHED);
                }
            }
            if (sample == null || sample.empty()) {
                String why = failure != null ? failure : sample == null ? "configuration only: no data given" : "the iterator had no minibatch";
                for (Check c : dataChecks) if (!ran.contains(c)) skipped.put(c, why);
                skipped.put(Check.FIRST_STEP_GRADIENT, why);
            } else {
                found.addAll(DataChecks.run(view, sample, normalizer));
                ran.addAll(dataChecks);
                if (firstStep) {
                    NetworkView.Output out = view.outputs.isEmpty() ? null : view.outputs.get(view.outputs.size() - 1);
                    double labelScale = out != null && DataChecks.regression(out.loss()) ? FirstStep.labelScale(sample.batches.get(0)) : 1;
                    EnumSet<Check> flagged = EnumSet.noneOf(Check.class);
                    for (Finding f : found) if (f.severity() != Severity.INFO) flagged.add(f.check());
                    found.add(FirstStep.run(netOrConf, sample.batches.get(0), clippedBy, ConfigChecks.clipsEveryLayer(view), labelScale, flagged));
                    ran.add(Check.FIRST_STEP_GRADIENT);
                } else {
                    skipped.put(Check.FIRST_STEP_GRADIENT, "turned off");
                }
            }
            return new Diagnosis(view.kind, view.layers.size(), sample == null ? 0 : sample.batches.size(),
                    sample == null ? 0 : (int) sample.batches.stream().mapToLong(d -> d.getFeatures().size(0)).sum(),
                    found, new ArrayList<>(ran), skipped);
        }
    }
}
