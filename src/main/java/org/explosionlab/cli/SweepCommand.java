package org.explosionlab.cli;

import org.explosionlab.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.MemoryBudget;
import org.explosionlab.report.SweepReport;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecException;
import org.explosionlab.sweep.GridAxis;
import org.explosionlab.sweep.InJvmExecutor;
import org.explosionlab.run.PointStatus;
import org.explosionlab.sweep.Sweep;
import org.explosionlab.sweep.SweepManifest;
import org.explosionlab.sweep.SweepPlan;
import org.explosionlab.sweep.SweepPoint;
import org.explosionlab.sweep.SweepResult;
import org.explosionlab.run.RunLock;
import org.explosionlab.run.SafePaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sweep}: several runs, {@code --workers} at a time, and one comparison table. Either a list of
 * presets ({@code --presets a,b,c}) or a grid over one preset ({@code --preset base --grid key=v1,v2
 * --grid ...}, the cartesian product of the axes), each point optionally run once per {@code --variant}
 * (a named set of overrides, e.g. a remedy) and repeated over {@code --seeds N}.
 * The number of points is checked against {@code --max-points} before any spec is built, and every spec
 * and data set is resolved before the sweep directory is created, so a typo fails at once with one
 * line; a point's run directory is created when the point starts. {@code --resume DIR} finishes the
 * points of an interrupted sweep that did not complete.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Train several presets, or a grid over one preset, several at once; print and save a comparison table.")
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;                  // for the command line a run's provenance records

    /** Default of {@code --max-points}: a sweep bigger than this is almost certainly a typo in a grid. */
    static final int DEFAULT_MAX_POINTS = 10_000;
    /** How often the progress line is printed while points run. */
    static final int PROGRESS_SECONDS = 15;

    @Option(names = "--presets", split = ",", paramLabel = "NAME", description = "presets to run, comma-separated")
    List<String> presets = new ArrayList<>();

    @Option(names = "--preset", paramLabel = "NAME", description = "base preset of a grid")
    String base;

    @Option(names = "--grid", paramLabel = "KEY=V1,V2", description = "a grid axis over --preset (repeatable), e.g. --grid learningRate=0.01,0.1,1.0")
    List<String> grid = new ArrayList<>();

    @Option(names = "--variant", paramLabel = "NAME:K=V,K=V",
            description = "run every point once per variant, a named set of overrides (repeatable), e.g. --variant none: --variant clip:clipping=global_l2,clipThreshold=1.0")
    List<String> variants = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a spec field in every run (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--epochs", paramLabel = "N", description = "epochs per run (default: each spec's own)")
    Integer epochs;

    @Option(names = "--seeds", paramLabel = "N", description = "repeat every point with seeds s..s+N-1 (s = its spec's seed); the table groups the repeats")
    int seeds = 1;

    @Option(names = "--max-batches", paramLabel = "N", description = "stop each epoch after N minibatches (smoke runs); 0 = all")
    int maxBatches;

    @Option(names = "--workers", paramLabel = "K", description = "points trained at once, one OpenMP thread each (default: the number of cores)")
    Integer workers;

    @Option(names = "--max-points", paramLabel = "N", description = "refuse a sweep of more points than this (default 10000)")
    int maxPoints = DEFAULT_MAX_POINTS;

    @Option(names = "--out", paramLabel = "DIR", description = "sweep directory (default runs/sweep-<timestamp>)")
    Path out;

    @Option(names = "--overwrite", description = "reuse an existing directory")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "DIR", description = "finish the points of an interrupted sweep that did not complete")
    Path resume;

    @Option(names = "--spark-master", paramLabel = "URL",
            description = "run the points as Apache Spark tasks: local[N], local[*] or spark://HOST:7077 (Spark must be on the classpath; see README)")
    String sparkMaster;

    @Override
    public Integer call() {
        if (maxBatches < 0) throw new BadInputException("--max-batches must be >= 0, got " + maxBatches);
        if (epochs != null && epochs < 1) throw new BadInputException("--epochs must be >= 1, got " + epochs);
        if (seeds < 1) throw new BadInputException("--seeds must be >= 1, got " + seeds);
        if (maxPoints < 1) throw new BadInputException("--max-points must be >= 1, got " + maxPoints);
        int k = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (k < 1) throw new BadInputException("--workers must be >= 1, got " + k);
        if (resume != null) return resume(k);
        List<SweepPoint> points = plan();
        Path dir = out != null ? out : RunDirectory.defaultFor("sweep");
        RunDirectory.requireNotRun(dir);                                 // first: --overwrite would not help here
        RunDirectory.check(dir, overwrite);
        for (SweepPoint p : points) {
            SafePaths.requireInside(dir, dir.resolve(p.dirName()));        // never a linked point directory (local or Spark)
            RunDirectory.check(dir.resolve(p.dirName()), overwrite);
        }
        ExplosionLab.tuneRuntime();           // before ND4J loads: the same threads as train (see RuntimeTuning)
        for (SweepPoint p : points) MemoryBudget.requireFits(p.spec());   // every point before any work
        Map<String, MnistLikeDataset> data = datasets(points);
        if (sparkMaster != null) {
            return SparkSweepLauncher.run(sparkMaster, points, data, dir, overwrite, maxBatches, ExplosionLab.typed(command));
        }
        try (RunLock lock = RunDirectory.open(dir, overwrite)) {           // one sweep per directory; each point locks its own
            if (overwrite) Sweep.clearEarlierSweep(dir);                    // its runs are not this sweep's
            SweepManifest plan = new SweepManifest(ExplosionLab.typed(command), maxBatches, points);
            System.out.println("sweep of " + points.size() + " runs, " + Math.min(k, points.size()) + " at once -> " + dir);
            return finish(new Sweep(System.out, executor(data), p -> planned(p, data, maxBatches), k, PROGRESS_SECONDS).run(plan, dir, false));
        }
    }

    private int resume(int k) {
        if (!presets.isEmpty() || base != null || !grid.isEmpty() || !variants.isEmpty() || !overrides.isEmpty() || epochs != null || seeds != 1
                || maxBatches != 0 || out != null || overwrite) {
            throw new BadInputException("--resume finishes a sweep exactly as it was planned; drop the plan options"
                    + " (--presets/--preset/--grid/--set/--epochs/--seeds/--max-batches/--out/--overwrite)");
        }
        if (!Files.isDirectory(resume)) throw new BadInputException("--resume " + resume + ": no such sweep directory");
        String holder = RunLock.holderOf(resume);
        if (holder != null) throw new RunLock.HeldException(resume, holder);
        SweepManifest plan = SweepManifest.read(resume);
        Path planFile = resume.resolve(SweepManifest.FILE);               // the limits of a new sweep, on sweep.json too
        if (plan.points().size() > maxPoints) {
            throw new BadInputException(planFile + " plans " + plan.points().size() + " points, more than --max-points " + maxPoints
                    + "; if that many were meant, raise --max-points");
        }
        Set<String> dirs = new HashSet<>();
        for (SweepPoint p : plan.points()) {                              // the plan is a file: the rules of a fresh sweep again
            if (!p.label().equals(SafePaths.printable(p.label()))) {
                throw new BadInputException(planFile + ": point label \"" + SafePaths.printable(p.label())
                        + "\" holds control characters; it was not written by explosion-lab sweep — start the sweep again");
            }
            try {
                SweepPlan.requireOwnDirectory(p);
            } catch (SpecException e) {
                throw new BadInputException(planFile + ": point " + p.label() + ": run name '" + p.dirName()
                        + "' is the name of a file the sweep writes into its directory; it was not written by explosion-lab sweep"
                        + " — start the sweep again");
            }
            SafePaths.requireInside(resume, resume.resolve(p.dirName()));
            if (!dirs.add(p.dirName())) {
                throw new BadInputException(planFile + ": two points share the directory '" + p.dirName() + "' (an edited or"
                        + " damaged plan); give each point its own name, or start a new sweep");
            }
        }
        Sweep.requireOwnResults(plan, resume);                            // no foreign run listed as this sweep's
        ExplosionLab.tuneRuntime();
        for (SweepPoint p : plan.points()) MemoryBudget.requireFits(p.spec());   // every point before any work
        Map<String, MnistLikeDataset> data = datasets(plan.points());
        if (sparkMaster != null) return SparkSweepLauncher.resume(sparkMaster, plan, data, resume);
        try (RunLock lock = RunLock.acquire(resume)) {                    // one sweep per directory
            long open = plan.points().stream().filter(p -> PointStatus.read(resume.resolve(p.dirName())) != PointStatus.DONE).count();
            System.out.println("resuming sweep " + resume + ": " + open + " of " + plan.points().size() + " runs to finish");
            return finish(new Sweep(System.out, executor(data), p -> planned(p, data, plan.maxBatches()), k, PROGRESS_SECONDS)
                    .run(plan, resume, true));
        }
    }

    private static InJvmExecutor executor(Map<String, MnistLikeDataset> data) {
        return new InJvmExecutor(data::get);
    }

    private static Map<String, MnistLikeDataset> datasets(List<SweepPoint> points) {
        Map<String, MnistLikeDataset> data = new HashMap<>();
        for (SweepPoint p : points) data.computeIfAbsent(p.spec().training().dataset(), DatasetResolver::resolve);
        return data;
    }

    /** A point's planned iterations: epochs × minibatches per epoch (as Trainer's iterator counts them). */
    private static long planned(SweepPoint p, Map<String, MnistLikeDataset> data, int maxBatches) {
        MnistLikeDataset d = data.get(p.spec().training().dataset());
        return d == null ? 0 : (long) p.spec().training().epochs() * d.trainIterator(p.spec().training().batchSize(), p.spec().training().seed(), maxBatches).batchesPerEpoch();
    }

    private static int finish(SweepResult result) {
        System.out.println();
        if (result.groups().hasRepeats()) {
            System.out.print(result.groups().console());
            System.out.println("\n(one row per run in " + Sweep.MARKDOWN + " and " + Sweep.RUNS_CSV + ")");
        } else {
            System.out.print(result.table().console());
        }
        System.out.println("\n" + whereWritten(result));
        long failed = result.outcomes().stream().filter(o -> o.status() == PointStatus.FAILED).count();
        if (failed > 0) {
            System.err.println(ExplosionLab.PREFIX + failed + " of " + result.outcomes().size() + " runs failed (their rows in "
                    + result.outDir().resolve(Sweep.MARKDOWN) + " say why); the others are complete");
            return ExplosionLab.EXIT_FAULT;
        }
        return 0;
    }

    /** The sweep's closing line: where its runs and tables are, and the path of sweep.html when it was written. */
    static String whereWritten(SweepResult result) {
        Path html = result.outDir().resolve(SweepReport.HTML_FILE);
        String line = "runs and " + Sweep.MARKDOWN + " / " + Sweep.CSV + " in " + result.outDir();
        return !result.interrupted() && Files.isRegularFile(html) ? line + "; open " + html + " in a browser" : line;
    }

    /** Every run's spec, resolved and validated (too many points, unknown preset, bad grid, unknown field fail here). */
    List<SweepPoint> plan() {
        List<String> common = new ArrayList<>(overrides);
        if (epochs != null) common.add("epochs=" + epochs);
        if (!presets.isEmpty()) {
            if (base != null || !grid.isEmpty()) {
                throw new BadInputException("give either --presets a,b,c or --preset BASE with --grid, not both (--variant and --seeds go with either)");
            }
            checkSize(SweepPlan.count(presets.size() * Math.max(1, variants.size()), List.of(), seeds));
            return SweepPlan.withSeeds(SweepPlan.withVariants(SweepPlan.presets(presets, common), variants), seeds);
        }
        if (base == null) {
            throw new BadInputException("nothing to sweep: give --presets a,b,c or --preset BASE --grid key=v1,v2");
        }
        if (grid.isEmpty() && variants.isEmpty() && seeds == 1) {
            throw new BadInputException("--preset " + base + " needs at least one --grid key=v1,v2, --variant or --seeds N (or use: explosion-lab train --preset " + base + ")");
        }
        List<GridAxis> axes = grid.stream().map(GridAxis::parse).toList();
        checkSize(SweepPlan.count(Math.max(1, variants.size()), axes, seeds));
        List<SweepPoint> points = axes.isEmpty() ? SweepPlan.presets(List.of(base), common) : SweepPlan.grid(Presets.load(base), axes, common);
        return SweepPlan.withSeeds(SweepPlan.withVariants(points, variants), seeds);
    }

    private void checkSize(long points) {
        if (points > maxPoints) {
            throw new BadInputException("this sweep has " + (points == Long.MAX_VALUE ? "more than 9.2e18" : Long.toString(points))
                    + " points, more than --max-points " + maxPoints + "; shorten the grid or raise --max-points");
        }
    }
}
