package org.explosionlab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.Verdict;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.Trainer;

/**
 * The verdict table of {@code bench/verdict-table.md}: every preset (or those named) × run lengths × seeds,
 * each a fresh {@link Trainer} run on the embedded MNIST, as {@code train --preset P --epochs E --set seed=S}
 * would run it. One CSV row per run: preset, epochs, seed, extra overrides, test accuracy, verdict kind, the
 * deciding event's kind, iteration and layer.
 * <pre>
 * java -cp ... org.explosionlab.bench.VerdictTable OUT.csv [--presets a,b] [--epochs 1,2,5] [--seeds 3] [--set k=v ...]
 * </pre>
 */
public final class VerdictTable {
    private VerdictTable() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        List<String> presets = Presets.names();
        List<Integer> epochs = List.of(1, 2, 5);
        int seeds = 3;
        List<String> sets = new ArrayList<>();
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--presets" -> presets = Arrays.asList(args[i + 1].split(","));
                case "--epochs" -> epochs = Arrays.stream(args[i + 1].split(",")).map(Integer::valueOf).toList();
                case "--seeds" -> seeds = Integer.parseInt(args[i + 1]);
                case "--set" -> sets.add(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        boolean fresh = !Files.exists(out);
        try (PrintStream csv = new PrintStream(Files.newOutputStream(out, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND), true, "UTF-8")) {
            if (fresh) csv.println("preset,epochs,seed,set,test_accuracy,kind,event,iteration,layer,seconds");
            for (String preset : presets) {
                for (int e : epochs) {
                    for (int s = 0; s < seeds; s++) {
                        ExperimentSpec base = Presets.load(preset);
                        List<String> all = new ArrayList<>(sets);
                        all.add("epochs=" + e);
                        all.add("seed=" + (base.training().seed() + s));
                        ExperimentSpec spec = SpecOverrides.apply(base, all);
                        long t0 = System.nanoTime();
                        RunResult r = new Trainer(null).run(spec, data, RunOptions.inMemory(0));
                        Verdict v = r.summary().verdict();
                        ExplosionEvent d = v.decidingEvent();
                        String row = String.format(Locale.ROOT, "%s,%d,%d,%s,%.4f,%s,%s,%s,%s,%.1f", preset, e, spec.training().seed(),
                                String.join(" ", sets), r.summary().results().testAccuracy(), v.kind().label(),
                                d == null ? "" : d.kind().label(), d == null ? "" : d.iteration(),
                                d == null || d.layer() == null ? "" : d.layer().replace(',', ';'), (System.nanoTime() - t0) / 1e9);
                        csv.println(row);
                        System.out.println(row);
                    }
                }
            }
        }
    }
}
