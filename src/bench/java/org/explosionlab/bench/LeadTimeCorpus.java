package org.explosionlab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.Verdict;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The corpus of the early-warning lead-time benchmark ({@code bench/run-lead-time.sh}, {@code bench/lead-time.md}):
 * fresh {@link Trainer} runs on the embedded MNIST, each with every early-warning instrument on (the directional
 * sharpness every {@code --sharpness-every} iterations), each written to {@code OUT/runs/<id>/} (metrics.jsonl,
 * summary.json). One row per run in {@code OUT/corpus.csv}. {@code bench/lead-time.py} finds each run's onset and
 * scores the warnings.
 * <ul>
 *   <li>{@code exploding}: every preset the verdict table finds exploding, 5 seeds, {@code --explode-epochs} epochs;</li>
 *   <li>{@code ladder-sgd}: the seed model with SGD at learning rates 0.3, 0.4, 0.5, 0.7, 1, 1.5, 2, 3, 5 seeds;</li>
 *   <li>{@code ladder-adam}: the seed model with Adam at 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.3, 1, 5 seeds;</li>
 *   <li>{@code healthy}: seed-baseline and bad-init-he-init, 5 seeds × batch sizes 32 and 128,
 *       {@code --healthy-epochs} epochs of at most {@code --healthy-max-batches} minibatches.</li>
 * </ul>
 * Then the cost: seed-baseline for {@code --cost-batches} iterations with the monitor alone (instruments off),
 * with the instruments, and with the sharpness every k and every iteration, interleaved {@code --cost-repeats}
 * times (ratios within one run, OMP_NUM_THREADS=1, training-thread CPU time), to {@code OUT/cost.csv}.
 * <pre>
 * java -cp ... org.explosionlab.bench.LeadTimeCorpus OUT [--sharpness-every 4] [--explode-epochs 2] [--healthy-epochs 20]
 *      [--healthy-max-batches 50] [--seeds 5] [--cost-batches 200] [--cost-repeats 3] [--only exploding,ladder-sgd,...]
 * </pre>
 */
public final class LeadTimeCorpus {
    /** Presets that exploded in bench/verdict-table.md (explosion or nonfinite in at least one cell). */
    static final List<String> EXPLODING = List.of("bad-init", "high-lr", "deep", "bad-init-clip-global", "bad-init-clip-layer",
            "bad-init-agc", "bad-init-autoclip", "bad-init-zclip", "bad-init-spike-skip", "bad-init-lr-decay", "high-lr-spike-skip");
    static final List<String> SGD_LADDER = List.of("0.3", "0.4", "0.5", "0.7", "1.0", "1.5", "2.0", "3.0");
    static final List<String> ADAM_LADDER = List.of("0.01", "0.02", "0.03", "0.05", "0.07", "0.1", "0.3", "1.0");
    static final List<String> HEALTHY = List.of("seed-baseline", "bad-init-he-init");

    private LeadTimeCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int sharpnessEvery = 4;
        int explodeEpochs = 2;
        int healthyEpochs = 20;
        int healthyMaxBatches = 50;
        int seeds = 5;
        int costBatches = 200;
        int costRepeats = 3;
        List<String> only = List.of("exploding", "ladder-sgd", "ladder-adam", "healthy", "cost");
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--sharpness-every" -> sharpnessEvery = Integer.parseInt(args[i + 1]);
                case "--explode-epochs" -> explodeEpochs = Integer.parseInt(args[i + 1]);
                case "--healthy-epochs" -> healthyEpochs = Integer.parseInt(args[i + 1]);
                case "--healthy-max-batches" -> healthyMaxBatches = Integer.parseInt(args[i + 1]);
                case "--seeds" -> seeds = Integer.parseInt(args[i + 1]);
                case "--cost-batches" -> costBatches = Integer.parseInt(args[i + 1]);
                case "--cost-repeats" -> costRepeats = Integer.parseInt(args[i + 1]);
                case "--only" -> only = List.of(args[i + 1].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        Files.createDirectories(out.resolve("runs"));
        Path corpus = out.resolve("corpus.csv");
        boolean fresh = !Files.exists(corpus);
        try (PrintStream csv = new PrintStream(Files.newOutputStream(corpus, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND), true, "UTF-8")) {
            if (fresh) csv.println("id,group,preset,updater,lr,seed,batch,epochs,max_batches,kind,iterations,warnings,seconds");
            for (int s = 0; s < seeds; s++) {
                if (only.contains("exploding")) {
                    for (String p : EXPLODING) run(csv, out, data, "exploding", p, List.of("epochs=" + explodeEpochs), s, 0, sharpnessEvery);
                }
                if (only.contains("ladder-sgd")) {
                    for (String lr : SGD_LADDER) {
                        run(csv, out, data, "ladder-sgd", "seed-baseline", List.of("updater=SGD", "learningRate=" + lr, "epochs=" + explodeEpochs),
                                s, 0, sharpnessEvery);
                    }
                }
                if (only.contains("ladder-adam")) {
                    for (String lr : ADAM_LADDER) {
                        run(csv, out, data, "ladder-adam", "seed-baseline", List.of("learningRate=" + lr, "epochs=" + explodeEpochs),
                                s, 0, sharpnessEvery);
                    }
                }
                if (only.contains("healthy")) {
                    for (String p : HEALTHY) {
                        for (int b : new int[]{32, 128}) {
                            run(csv, out, data, "healthy", p, List.of("batchSize=" + b, "epochs=" + healthyEpochs), s, healthyMaxBatches,
                                    sharpnessEvery);
                        }
                    }
                }
            }
        }
        if (only.contains("cost")) cost(out.resolve("cost.csv"), data, costBatches, costRepeats, sharpnessEvery);
    }

    private static void run(PrintStream csv, Path out, MnistLikeDataset data, String group, String preset, List<String> sets,
                            int seedOffset, int maxBatches, int sharpnessEvery) throws IOException {
        ExperimentSpec base = Presets.load(preset);
        List<String> all = new ArrayList<>(sets);
        all.add("seed=" + (base.training().seed() + seedOffset));
        all.add("earlyWarning=true");
        all.add("sharpnessEvery=" + sharpnessEvery);
        ExperimentSpec spec = SpecOverrides.apply(base, all);
        String id = String.format(Locale.ROOT, "%s-%s-%s-lr%s-b%d-s%d", group, preset, spec.optimizer().updater().name().toLowerCase(Locale.ROOT),
                spec.optimizer().learningRate(), spec.training().batchSize(), spec.training().seed());
        Path dir = out.resolve("runs").resolve(id);
        if (Files.exists(dir.resolve("summary.json"))) return;            // done by an earlier, interrupted invocation
        if (Files.exists(dir)) try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        RunResult r = new Trainer(null).run(spec, data, new RunOptions(dir, maxBatches, 0, "bench lead-time"));
        Files.deleteIfExists(dir.resolve("model.zip"));                   // not needed, and 0.4 MB a run
        Files.deleteIfExists(dir.resolve("metrics.csv"));
        Verdict v = r.summary().verdict();
        String row = String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%d,%d,%d,%d,%s,%d,%d,%.1f", id, group, preset, spec.optimizer().updater().name(),
                spec.optimizer().learningRate(), spec.training().seed(), spec.training().batchSize(), spec.training().epochs(), maxBatches, v.kind().label(),
                r.summary().results().iterations(), v.warnings().size(), (System.nanoTime() - t0) / 1e9);
        csv.println(row);
        System.out.println(row);
    }

    private static final java.lang.management.ThreadMXBean THREAD = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Training-thread CPU seconds per iteration (OMP_NUM_THREADS=1: ND4J computes on the calling thread) of seed-baseline's first {@code batches} minibatches, per monitor setting, interleaved. */
    private static void cost(Path file, MnistLikeDataset data, int batches, int repeats, int k) throws IOException {
        ExperimentSpec spec = Presets.load("seed-baseline");
        List<DataSet> list = new ArrayList<>();
        DataSetIterator it = data.trainIterator(spec.training().batchSize(), spec.training().seed(), batches);
        while (it.hasNext()) {
            DataSet d = it.next();
            list.add(new DataSet(d.getFeatures().dup(), d.getLabels().dup()));
        }
        String[] names = {"monitor_without_instruments", "instruments", "instruments_sharpness_every_" + k, "instruments_sharpness_every_1"};
        double[][] seconds = new double[names.length][repeats];
        for (int rep = -1; rep < repeats; rep++) {                         // rep -1: warm-up, not kept
            for (int c = 0; c < names.length; c++) {
                MultiLayerNetwork net = NetworkFactory.build(spec);
                ExplosionMonitor.Builder b = ExplosionMonitor.builder().logEvents(false).keepLast(0)
                        .instruments(c > 0).sharpnessEvery(c == 2 ? k : c == 3 ? 1 : 0);
                try (ExplosionMonitor m = b.attach(net)) {
                    long t0 = THREAD.getCurrentThreadCpuTime();           // this thread's CPU: robust to other processes' load
                    for (DataSet d : list) net.fit(d);
                    if (rep >= 0) seconds[c][rep] = (THREAD.getCurrentThreadCpuTime() - t0) / 1e9 / list.size();
                }
            }
        }
        try (PrintStream csv = new PrintStream(Files.newOutputStream(file), true, "UTF-8")) {
            csv.println("setting,repeat,ms_per_iteration,ratio_to_monitor_without_instruments");   // training-thread CPU ms
            for (int c = 0; c < names.length; c++) {
                for (int rep = 0; rep < repeats; rep++) {
                    String row = String.format(Locale.ROOT, "%s,%d,%.3f,%.3f", names[c], rep, seconds[c][rep] * 1e3, seconds[c][rep] / seconds[0][rep]);
                    csv.println(row);
                    System.out.println(row);
                }
            }
        }
    }
}
