package org.explosionlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.spec.Presets;
import org.explosionlab.sweep.GridAxis;
import org.explosionlab.sweep.Sweep;
import org.explosionlab.sweep.SweepPlan;
import org.explosionlab.sweep.SweepPoint;
import org.explosionlab.sweep.SweepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sweep}: several runs one after another and one comparison table. Either a list of presets
 * ({@code --presets a,b,c}) or a grid over one preset ({@code --preset base --grid key=v1,v2 --grid ...},
 * the cartesian product of the axes). Every spec and data set is resolved before the first directory is
 * created, so a typo fails at once with one line.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Train several presets, or a grid over one preset, one after another; print and save a comparison table.")
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--presets", split = ",", paramLabel = "NAME", description = "presets to run, comma-separated")
    List<String> presets = new ArrayList<>();

    @Option(names = "--preset", paramLabel = "NAME", description = "base preset of a grid")
    String base;

    @Option(names = "--grid", paramLabel = "KEY=V1,V2", description = "a grid axis over --preset (repeatable), e.g. --grid learningRate=0.01,0.1,1.0")
    List<String> grid = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a spec field in every run (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--epochs", paramLabel = "N", description = "epochs per run (default: each spec's own)")
    Integer epochs;

    @Option(names = "--max-batches", paramLabel = "N", description = "stop each epoch after N minibatches (smoke runs); 0 = all")
    int maxBatches;

    @Option(names = "--out", paramLabel = "DIR", description = "sweep directory (default runs/sweep-<timestamp>)")
    Path out;

    @Option(names = "--overwrite", description = "reuse an existing directory")
    boolean overwrite;

    @Option(names = "--spark-master", paramLabel = "URL",
            description = "run the points as Apache Spark tasks: local[N], local[*] or spark://HOST:7077 (Spark must be on the classpath; see README)")
    String sparkMaster;

    @Override
    public Integer call() {
        if (maxBatches < 0) throw new BadInputException("--max-batches must be >= 0, got " + maxBatches);
        if (epochs != null && epochs < 1) throw new BadInputException("--epochs must be >= 1, got " + epochs);
        List<SweepPoint> points = plan();
        Path dir = out != null ? out : RunDirectory.defaultFor("sweep");
        RunDirectory.check(dir, overwrite);
        for (SweepPoint p : points) RunDirectory.check(dir.resolve(p.dirName()), overwrite);
        Map<String, MnistLikeDataset> data = new HashMap<>();
        for (SweepPoint p : points) data.computeIfAbsent(p.spec().dataset(), DatasetResolver::resolve);
        if (sparkMaster != null) {
            return SparkSweepLauncher.run(sparkMaster, points, data, dir, overwrite, maxBatches, "sweep " + String.join(" ", commandLine()));
        }
        RunDirectory.create(dir, overwrite);
        for (SweepPoint p : points) RunDirectory.create(dir.resolve(p.dirName()), overwrite);
        System.out.println("sweep of " + points.size() + " runs -> " + dir);
        SweepResult result = new Sweep(System.out, data::get).run(points, dir, maxBatches, "sweep " + String.join(" ", commandLine()));
        System.out.println();
        System.out.print(result.table().console());
        System.out.println("\nruns and " + Sweep.MARKDOWN + " / " + Sweep.CSV + " in " + dir);
        return 0;
    }

    /** Every run's spec, resolved and validated (unknown preset, bad grid, unknown field fail here). */
    List<SweepPoint> plan() {
        List<String> common = new ArrayList<>(overrides);
        if (epochs != null) common.add("epochs=" + epochs);
        if (!presets.isEmpty()) {
            if (base != null || !grid.isEmpty()) {
                throw new BadInputException("give either --presets a,b,c or --preset BASE with --grid, not both");
            }
            return SweepPlan.presets(presets, common);
        }
        if (base == null) {
            throw new BadInputException("nothing to sweep: give --presets a,b,c or --preset BASE --grid key=v1,v2");
        }
        if (grid.isEmpty()) {
            throw new BadInputException("--preset " + base + " needs at least one --grid key=v1,v2 (or use: explosion-lab train --preset " + base + ")");
        }
        List<GridAxis> axes = grid.stream().map(GridAxis::parse).toList();
        return SweepPlan.grid(Presets.load(base), axes, common);
    }

    private List<String> commandLine() {
        List<String> args = new ArrayList<>();
        if (!presets.isEmpty()) args.add("--presets " + String.join(",", presets));
        if (base != null) args.add("--preset " + base);
        grid.forEach(g -> args.add("--grid " + g));
        overrides.forEach(o -> args.add("--set " + o));
        if (epochs != null) args.add("--epochs " + epochs);
        if (maxBatches > 0) args.add("--max-batches " + maxBatches);
        return args;
    }
}
