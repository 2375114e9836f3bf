package org.explosionlab.monitor;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code metrics.csv}: the rows of {@code metrics.jsonl} flattened for spreadsheets — arrays become
 * {@code grad_l2_layer_0, grad_l2_layer_1, …}, per-parameter maps {@code grad_l2_param_0_W, …}.
 * Non-finite values are written as {@code NaN}, {@code Infinity}, {@code -Infinity}; a figure the row does
 * not record ({@code clip_threshold} without a global threshold, {@code loss_exact} and
 * {@code loss_saturated_fraction} without a softmax + MCXENT output layer) is an empty cell. The early-warning
 * instruments come last ({@code update_rms, update_cos, sharpness, sharpness_limit, grad_norm_z}, then
 * {@code update_rms_layer_i, update_cos_layer_i}), empty where a row does not hold them. Appending to an existing file
 * keeps that file's header: a value is written under its column name, and a column the file does not have (a file
 * from before the instruments) is left out.
 */
public final class MetricsCsvWriter implements Consumer<IterationMetrics>, Closeable {
    private final BufferedWriter out;
    private boolean headerWritten;
    private List<String> existingHeader;

    public MetricsCsvWriter(Path file) {
        try {
            this.headerWritten = Files.exists(file) && Files.size(file) > 0;
            if (headerWritten) {
                try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                    existingHeader = lines.findFirst().map(l -> List.of(l.split(",", -1))).orElse(null);
                }
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);            // runDirectory("runs/mine") on a fresh checkout
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Column names for a row, in the order {@link #values} writes them. */
    static List<String> header(IterationMetrics m) {
        List<String> h = new ArrayList<>(List.of("iteration", "epoch", "loss", "loss_exact", "loss_saturated_fraction", "batch_accuracy", "lr", "grad_l2_global", "grad_l2_global_clipped",
                "grad_max_abs", "grad_max_abs_clipped", "grad_nonfinite", "clipped", "skipped", "skip_reason", "clip_threshold"));
        for (int i = 0; i < m.gradL2Layer().length; i++) h.add("grad_l2_layer_" + i);
        for (int i = 0; i < m.gradL2LayerClipped().length; i++) h.add("grad_l2_layer_clipped_" + i);
        addKeys(h, "grad_l2_param_", m.gradL2Param());
        addKeys(h, "grad_l2_param_clipped_", m.gradL2ParamClipped());
        addKeys(h, "update_l2_param_", m.updateL2Param());
        addKeys(h, "update_param_ratio_", m.updateParamRatio());
        addKeys(h, "update_param_ratio_l2_", m.updateParamRatioL2());
        addKeys(h, "param_l2_", m.paramL2());
        h.addAll(List.of("update_rms", "update_cos", "sharpness", "sharpness_limit", "grad_norm_z"));
        for (int i = 0; i < m.gradL2Layer().length; i++) h.add("update_rms_layer_" + i);
        for (int i = 0; i < m.gradL2Layer().length; i++) h.add("update_cos_layer_" + i);
        return h;
    }

    static List<String> values(IterationMetrics m) {
        List<String> v = new ArrayList<>(List.of(Long.toString(m.iteration()), Integer.toString(m.epoch()), num(m.loss()),
                optional(m.lossExact()), optional(m.lossSaturatedFraction()), optional(m.batchAccuracy()), num(m.lr()), num(m.gradL2Global()), num(m.gradL2GlobalClipped()), num(m.gradMaxAbs()), num(m.gradMaxAbsClipped()),
                Long.toString(m.gradNonFinite()), Boolean.toString(m.clipped()), Boolean.toString(m.skipped()),
                m.skipReason() == null ? "" : m.skipReason(),
                optional(m.clipThreshold())));
        for (double d : m.gradL2Layer()) v.add(num(d));
        for (double d : m.gradL2LayerClipped()) v.add(num(d));
        for (var map : List.of(m.gradL2Param(), m.gradL2ParamClipped(), m.updateL2Param(), m.updateParamRatio(),
                m.updateParamRatioL2(), m.paramL2())) {
            map.values().forEach(d -> v.add(num(d)));
        }
        v.addAll(List.of(optional(m.updateRms()), optional(m.updateCos()), optional(m.sharpness()), optional(m.sharpnessLimit()),
                optional(m.gradNormZ())));
        for (int i = 0; i < m.gradL2Layer().length; i++) v.add(cell(m.updateRmsLayer(), i));
        for (int i = 0; i < m.gradL2Layer().length; i++) v.add(cell(m.updateCosLayer(), i));
        return v;
    }

    private static String cell(double[] a, int i) {
        return a == null || i >= a.length ? "" : num(a[i]);
    }

    /** The row's values under {@code header}'s columns (empty for a column the row does not have). */
    static List<String> valuesFor(List<String> header, IterationMetrics m) {
        List<String> names = header(m);
        List<String> values = values(m);
        Map<String, String> byName = new java.util.HashMap<>();
        for (int i = 0; i < names.size(); i++) byName.put(names.get(i), values.get(i));
        List<String> out = new ArrayList<>(header.size());
        for (String h : header) out.add(byName.getOrDefault(h, ""));
        return out;
    }

    private static void addKeys(List<String> h, String prefix, Map<String, Double> map) {
        map.keySet().forEach(k -> h.add(prefix + k));
    }

    private static String optional(Double d) {
        return d == null ? "" : num(d);
    }

    private static String num(double d) {
        return Double.toString(d);
    }

    @Override
    public void accept(IterationMetrics m) {
        try {
            if (!headerWritten) {
                out.write(String.join(",", header(m)));
                out.write('\n');
                headerWritten = true;
            }
            out.write(String.join(",", existingHeader == null ? values(m) : valuesFor(existingHeader, m)));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics.csv: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
