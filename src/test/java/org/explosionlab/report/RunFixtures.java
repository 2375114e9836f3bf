package org.explosionlab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small hand-written run directories following RUN_FILES.md, for testing the report machinery:
 * every number below is chosen so that the figures a test checks can be worked out by hand.
 * Nothing here comes from the training code.
 */
final class RunFixtures {

    private RunFixtures() {
    }

    /** A JSON number, or the strings Jackson writes for non-finite values. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "\"NaN\"";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        }
        return Double.toString(v);
    }

    /** One metrics.jsonl line with three layers and parameters 0_W … 2_b. */
    static String row(int iteration, int epoch, double loss, double lr, double global, double globalClipped,
            Double threshold, boolean clipped, double[] layers, double ratioW, double ratioB) {
        StringBuilder s = new StringBuilder();
        s.append("{\"iteration\": ").append(iteration)
                .append(", \"epoch\": ").append(epoch)
                .append(", \"loss\": ").append(num(loss))
                .append(", \"lr\": ").append(num(lr))
                .append(", \"grad_l2_global\": ").append(num(global))
                .append(", \"grad_l2_global_clipped\": ").append(num(globalClipped))
                .append(", \"grad_l2_layer\": [").append(num(layers[0])).append(", ").append(num(layers[1]))
                .append(", ").append(num(layers[2])).append(']')
                .append(", \"grad_l2_layer_clipped\": [").append(num(layers[0])).append(", ").append(num(layers[1]))
                .append(", ").append(num(layers[2])).append(']')
                .append(", \"grad_l2_param\": {\"0_W\": ").append(num(layers[0])).append(", \"0_b\": 0.1}")
                .append(", \"grad_max_abs\": 0.09, \"grad_nonfinite\": ")
                .append(Double.isFinite(global) ? 0 : 1)
                .append(", \"clipped\": ").append(clipped)
                .append(", \"skipped\": false")
                .append(", \"clip_threshold\": ").append(threshold == null ? "null" : num(threshold))
                .append(", \"update_l2_param\": {\"0_W\": 0.0088}")
                .append(", \"update_param_ratio\": {");
        for (int layer = 0; layer < 3; layer++) {
            s.append(layer == 0 ? "" : ", ").append("\"").append(layer).append("_W\": ").append(num(ratioW))
                    .append(", \"").append(layer).append("_b\": ").append(num(ratioB));
        }
        s.append("}, \"update_param_ratio_l2\": {\"0_W\": 0.001}, \"param_l2\": {\"0_W\": 9.1}}");
        return s.toString();
    }

    static String summary(String name, String clipping, Double clipThreshold, double accuracy,
            String verdictJson, int iterations) {
        return "{\"spec\": {\"name\": \"" + name + "\", \"description\": \"fixture run " + name + "\","
                + " \"layerSizes\": [784, 128, 64, 10], \"activations\": [\"relu\", \"relu\", \"softmax\"],"
                + " \"lossFunction\": \"MCXENT\", \"updater\": \"adam\", \"learningRate\": 0.001,"
                + " \"weightInit\": \"XAVIER\", \"gradientNormalization\": \"None\","
                + " \"gradientNormalizationThreshold\": 1.0, \"clipping\": \"" + clipping + "\","
                + " \"clipThreshold\": " + (clipThreshold == null ? "null" : clipThreshold) + ","
                + " \"batchSize\": 32, \"epochs\": 2, \"seed\": 42, \"dataset\": \"mnist-embedded\"},"
                + " \"provenance\": {\"dl4j\": \"1.0.0-M2.1\", \"java\": \"17.0.15\", \"os\": \"Linux 6.1 amd64\","
                + " \"cores\": 2, \"seed\": 42, \"dataset\": \"mnist-embedded\","
                + " \"dataset_location\": \"classpath:mnist-embedded\","
                + " \"dataset_sha256\": {\"train-images-idx3-ubyte.gz\": \"ab12cd\"},"
                + " \"started\": \"2026-11-26T17:10:00Z\", \"finished\": \"2026-11-26T17:10:12Z\","
                + " \"command\": \"train --preset " + name + "\"},"
                + " \"results\": {\"test_accuracy\": " + accuracy + ", \"train_seconds\": 10.2,"
                + " \"examples_per_second\": 3900.0, \"iterations\": " + iterations + ", \"epochs_completed\": 2,"
                + " \"stopped_early\": false, \"stop_reason\": null, \"final_loss\": 0.12,"
                + " \"max_grad_l2_global\": 5.3},"
                + " \"epochs\": [{\"epoch\": 0, \"iterations\": " + iterations + ", \"grad_l2_global_median\": 0.9,"
                + " \"grad_l2_global_p99\": 3.1, \"grad_l2_global_max\": 5.3, \"clip_fraction\": 0.0,"
                + " \"nonfinite_iterations\": 0, \"skipped_iterations\": 0, \"mean_loss\": 0.4}],"
                + " \"verdict\": " + verdictJson + "}";
    }

    static final String HEALTHY_VERDICT = "{\"exploded\": false, \"kind\": \"healthy\", \"first_iteration\": null,"
            + " \"events\": [], \"advice\": \"Nothing to do: gradients stayed within their usual range.\"}";

    /**
     * 40 iterations, 2 epochs, no clipping. ‖g‖ = 1 + 0.25·(i mod 5), so the 40 values are
     * 1, 1.25, 1.5, 1.75, 2 eight times each: max 2, median 1.5 (sorted positions 20 and 21 are
     * both 1.5), clip rate 0.
     */
    static Path healthy(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double g = 1 + 0.25 * (i % 5);
            lines.add(row(i, i / 20, 2.3 - 0.05 * i, 0.001, g, g, null, false,
                    new double[] {0.8 * g, 0.4 * g, 0.2 * g}, 1e-3, 2e-3));
        }
        return write(dir, lines, summary("healthy", "none", null, 0.937, HEALTHY_VERDICT, 40));
    }

    /**
     * 16 iterations with ‖g‖ = 10^i (1 … 1e15) and global-L2 clipping at 1: after clipping the
     * norm is min(10^i, 1); clipped is true for i ≥ 1 (15 of 16). Layer norms are 10^i, 10^(i−1)
     * and 1e-3, so the per-layer chart spans 1e-3 … 1e15. Median of 10^0 … 10^15 is
     * (10^7 + 10^8) / 2 = 5.5e7. The detector flagged iterations 3 and 9.
     */
    static Path exploding(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            double g = Math.pow(10, i);
            lines.add(row(i, 0, 2.3 + i, 0.001, g, Math.min(g, 1.0), 1.0, i >= 1,
                    new double[] {g, Math.pow(10, i - 1), 1e-3}, 1e-3 * Math.pow(10, i / 4.0), 1e-3));
        }
        String verdict = "{\"exploded\": true, \"kind\": \"explosion\", \"first_iteration\": 3, \"events\": ["
                + "{\"kind\": \"explosion\", \"iteration\": 3, \"epoch\": 0, \"layer_first\": 0, \"layer_most\": 0,"
                + " \"trigger\": {\"global_norm\": 1000.0, \"recent_median\": 10.0},"
                + " \"message\": \"global gradient norm 1000 is 100x its recent median 10\"},"
                + "{\"kind\": \"explosion\", \"iteration\": 9, \"epoch\": 0, \"layer_first\": 0, \"layer_most\": 0,"
                + " \"trigger\": {\"global_norm\": 1.0E9, \"recent_median\": 1.0E7},"
                + " \"message\": \"global gradient norm 1e9 is 100x its recent median 1e7\"}],"
                + " \"advice\": \"Lower the learning rate or clip the global gradient norm.\"}";
        return write(dir, lines, summary("exploding", "global_l2", 1.0, 0.098, verdict, 16));
    }

    /**
     * 12 iterations, no clipping. Iterations 0–7 are finite (‖g‖ = 2); iteration 8 has
     * ‖g‖ = "Infinity" and loss "NaN"; iterations 9–11 have ‖g‖, loss, layer norms and ratios
     * "NaN" (iteration 10 writes its ‖g‖ as a bare NaN token). Biases start at zero, so the bias
     * ratios of iteration 0 are "Infinity". Non-finite counts: ‖g‖ 4, loss 4, per-layer 3 × 4 = 12.
     */
    static Path nonFinite(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double g = i < 8 ? 2.0 : i == 8 ? Double.POSITIVE_INFINITY : Double.NaN;
            double loss = i < 8 ? 2.3 - 0.1 * i : Double.NaN;
            double layer = i < 8 ? 1.0 : Double.NaN;
            double ratioW = i < 9 ? 1e-3 : Double.NaN;
            double ratioB = i == 0 ? Double.POSITIVE_INFINITY : i < 9 ? 2e-3 : Double.NaN;
            String line = row(i, 0, loss, 0.001, g, g, null, false, new double[] {layer, layer, layer}, ratioW, ratioB);
            if (i == 10) {
                line = line.replace("\"grad_l2_global\": \"NaN\"", "\"grad_l2_global\": NaN");
            }
            lines.add(line);
        }
        String verdict = "{\"exploded\": true, \"kind\": \"nonfinite\", \"first_iteration\": 8, \"events\": ["
                + "{\"kind\": \"nonfinite\", \"iteration\": 8, \"epoch\": 0, \"layer_first\": 2, \"layer_most\": 2,"
                + " \"trigger\": {\"global_norm\": \"Infinity\"},"
                + " \"message\": \"the gradient became non-finite at iteration 8\"}],"
                + " \"advice\": \"Lower the learning rate; check the input scaling.\"}";
        return write(dir, lines, summary("nonfinite", "none", null, 0.098, verdict, 12));
    }

    /** The healthy run's first 10 rows plus an 11th line cut off mid-object (a killed run). */
    static Path truncated(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double g = 1 + 0.25 * (i % 5);
            lines.add(row(i, 0, 2.3 - 0.05 * i, 0.001, g, g, null, false,
                    new double[] {0.8 * g, 0.4 * g, 0.2 * g}, 1e-3, 2e-3));
        }
        String full = row(10, 0, 1.8, 0.001, 1.0, 1.0, null, false, new double[] {0.8, 0.4, 0.2}, 1e-3, 2e-3);
        lines.add(full.substring(0, full.indexOf("\"grad_l2_layer\"") + 8));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.jsonl"), String.join("\n", lines), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary.json"), summary("truncated", "none", null, 0.5, HEALTHY_VERDICT, 10),
                StandardCharsets.UTF_8);
        return dir;
    }

    static Path write(Path dir, List<String> lines, String summary) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary.json"), summary, StandardCharsets.UTF_8);
        return dir;
    }
}
