package org.explosionlab.detection;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.explosionlab.spec.EventKind;

/**
 * Judges one training run from its recorded iterations, as they arrive, and reports each kind of
 * failure once, at its first occurrence. One detector per run.
 *
 * <p>Tests on each sample (g = global gradient L2 norm, g_l = per-layer norms, med_W(x) = median of
 * the previous W finite values of x, W = {@code medianWindow}):
 * <ul>
 *   <li><b>nonfinite</b>: the loss, a gradient element, g, max|g| or a g_l is NaN or ±Infinity.</li>
 *   <li><b>explosion</b>: g finite and either g > {@code absoluteCeiling} (× √loss for a squared-error loss above 1,
 *       see {@link #ceiling}), or (at least
 *       {@code warmupSamples} previous norms and g > {@code explosionFloor} and
 *       g > {@code explosionFactor} · max(med_W(g), {@code referenceFraction} · med_early(g))), med_early =
 *       the median of the run's first W norms that did not meet this test. The median is robust: a
 *       decaying start only raises it and an isolated bump does not move it; the early reference keeps a
 *       ten-fold fall of the median late in a healthy run from turning an ordinary norm into an explosion.
 *       A relative spike below the ceiling must be <b>confirmed</b> by the {@code confirmWindow} (5) samples after
 *       it ({@link PendingSpike}): another spike or a non-finite value, the loss up by half, or the minibatch
 *       accuracy down by 0.1. An isolated spike the run shrugs off is minibatch noise (at batch 16 late in a
 *       healthy run, single norms reach 25x the median); the event, when confirmed, keeps the spike's iteration.
 *       Whether and when the run recovered is tracked by a {@link RecoveryWatch} per explosion.</li>
 *   <li><b>collapse</b>: {@code collapseWindow} samples in a row, all finite, with
 *       min(g, min_l g_l) ≤ {@code collapseGradMax} (no gradient reaches the layers below a dead
 *       ReLU layer) and |loss − {@code collapseLoss}| ≤ {@code collapseLossTolerance} (chance-level
 *       prediction). Reported at the first iteration of that stretch. The final accuracy, when known,
 *       must also be ≤ {@code chanceAccuracyMax}: see {@link #verdict(double)}.</li>
 *   <li><b>vanishing</b>: a layer's median update:parameter ratio far below DL4J's 1e-3 ({@link VanishingWatch}).</li>
 *   <li><b>large_updates</b>: a layer's median ratio far above it ({@link LargeUpdateWatch}).</li>
 *   <li><b>dead_units</b>: most units of a ReLU-family layer dead ({@link DeadUnitWatch}).</li>
 *   <li><b>contained</b>: a remedy changed most steps and shrank the raw gradient ten-fold ({@link ContainedWatch}).</li>
 *   <li><b>stalled</b>: the loss stopped falling at a low minibatch accuracy ({@link StallWatch}).</li>
 *   <li><b>not_learning</b>: judged when the verdict is asked, where the run ended ({@link NotLearningWatch}).</li>
 * </ul>
 * <b>The explosion and non-finite tests read the raw gradient</b> ({@link IterationSample#gradL2Global()}, backprop's
 * output before any clipping or skipping): a run whose clip let only 1.0 through while the raw norm sat at 1e5
 * exploded; whether it recovered is a separate question ({@link RecoveryWatch}), and a remedy that keeps
 * shrinking the raw norm ten-fold is reported as contained.
 *
 * <p><b>Any run length.</b> Rules with windows report as soon as their window is full. When the verdict is asked
 * before that (a short run), each is judged over the samples it holds, from {@code minJudgedSamples} (20) on;
 * below that the verdict lists them as unjudged and says {@code too_short}, never {@code healthy}.
 * Layer attribution (explosion and nonfinite events): layer l has grown at a sample when
 * g_l / med_W(g_l) > {@code explosionFactor} with at least {@code warmupSamples} previous values
 * (a non-finite g_l counts as grown, with ratio +Infinity). {@code layer_first} is the grown layer
 * whose uninterrupted run of grown samples began earliest, {@code layer_most} the grown layer with
 * the largest ratio; ties go to the layer nearest the input. When no layer has grown (an explosion at the
 * first step, before any history), both name the layer with the largest norm.
 *
 * <p>Cost per sample: O(W + L·W) for the sorted trailing windows (W = 50, L = 3 here), independent
 * of the run length; memory O(L·W).
 */
public final class ExplosionDetector {

    private final DetectorConfig config;
    private final TrailingMedian globalNorms;
    private TrailingMedian[] layerNorms;
    /** Per layer: iteration where its current run of grown samples began, or -1 when not grown. */
    private long[] grownSince;
    private long lastIteration = -1;

    private final List<ExplosionEvent> events = new ArrayList<>();
    private final EnumSet<EventKind> reported = EnumSet.noneOf(EventKind.class);
    /** The run's first {@code medianWindow} finite norms that did not meet the explosion test. */
    private final TrailingMedian earlyNorms;
    /** Losses of the last {@code medianWindow} finite samples, for the recovery test's "loss before". */
    private double recentLossSum;
    private final java.util.ArrayDeque<Double> recentLossWindow = new java.util.ArrayDeque<>();
    private final Map<ExplosionEvent, RecoveryWatch> recoveries = new LinkedHashMap<>();
    private final VanishingWatch vanishing;
    private final StallWatch stall;
    private final LargeUpdateWatch largeUpdates;
    private final DeadUnitWatch deadUnits;
    private final ContainedWatch contained;
    private final NotLearningWatch notLearning;
    private final NetworkFacts facts;
    private long samples;
    private final Map<ExplosionEvent, Long> samplesAtEvent = new java.util.HashMap<>();
    /** A relative-test spike below the ceiling, waiting for the following steps to confirm it. */
    private PendingSpike pending;
    private double recentAccSum;
    private final java.util.ArrayDeque<Double> recentAccWindow = new java.util.ArrayDeque<>();

    /** Whether a non-finite step a remedy skipped was reported (as contained). */
    private boolean skipReported;
    /** Non-finite steps a remedy skipped in a row up to the latest sample, and the event of the first of them. */
    private long skipStreak;
    private ExplosionEvent skipStreakStart;
    /** Whether the previous sample was finite and met no explosion test, with no explosion reported so far. */
    private boolean previousOrdinary;
    private double previousNorm = Double.NaN;

    private int deadRun;
    private long deadStartIteration;
    private int deadStartEpoch;
    private double deadMaxGrad;
    private double deadMaxLossDeviation;

    /** A detector with {@link DetectorConfig#defaults()}. */
    public ExplosionDetector() {
        this(DetectorConfig.defaults());
    }

    /** A detector for a network it knows nothing of (layers named by position, generic advice). */
    public ExplosionDetector(DetectorConfig config) {
        this(config, NetworkFacts.unknown());
    }

    /** A detector whose events name the network's layers DL4J's way and whose advice fits it. */
    public ExplosionDetector(DetectorConfig config, NetworkFacts facts) {
        this.config = Objects.requireNonNull(config, "config");
        this.facts = Objects.requireNonNull(facts, "facts");
        this.globalNorms = new TrailingMedian(config.medianWindow());
        this.earlyNorms = new TrailingMedian(config.medianWindow());
        this.vanishing = new VanishingWatch(config, facts);
        this.stall = new StallWatch(config, facts);
        this.largeUpdates = new LargeUpdateWatch(config, facts);
        this.deadUnits = new DeadUnitWatch(config, facts);
        this.contained = new ContainedWatch(config, facts);
        this.notLearning = new NotLearningWatch(config, facts);
    }

    /** Samples observed so far. */
    public long samples() {
        return samples;
    }

    public DetectorConfig config() {
        return config;
    }

    /**
     * Feeds one recorded iteration.
     *
     * @return the event first detected at this sample, if any (when one sample triggers two kinds,
     *         both are recorded for the verdict and the nonfinite one is returned); a relative spike below the
     *         ceiling is returned when the following samples confirm it, with its own iteration
     * @throws IllegalArgumentException when iterations do not increase or the layer count changes
     */
    public Optional<ExplosionEvent> observe(IterationSample sample) {
        checkSameRun(sample);
        samples++;
        notLearning.observe(sample);
        LayerGrowth growth = layerGrowth(sample);
        boolean explosive = explosive(sample);
        for (RecoveryWatch w : recoveries.values()) w.observe(sample, explosive);
        ExplosionEvent first = null;
        if (sample.hasNonFinite() && sample.skipped()) {
            if (skipStreak++ == 0) skipStreakStart = nonFinite(sample, growth);
        } else {
            skipStreak = 0;
            skipStreakStart = null;
        }
        if (!reported.contains(EventKind.NONFINITE) && sample.hasNonFinite()) {
            if (!sample.skipped()) {
                first = record(nonFinite(sample, growth));
            } else if (!skipReported) {                      // a remedy skipped the step: the weights stayed finite
                skipReported = true;                         // (not in reported: a later step the remedy let through still counts)
                first = skipStreakStart;                     // built above from this sample (the first of its streak)
                events.add(first);
            }
        }
        if (pending != null && pending.observe(sample, explosive)) {             // a spike the following steps confirmed
            first = first == null ? confirm(pending) : first;
        } else if (pending != null && pending.rejected()) {
            pending = null;                                                      // a transient spike: noise, not an explosion
        }
        if (!reported.contains(EventKind.EXPLOSION) && pending == null && explosive) {
            ExplosionEvent event = explosion(sample, growth);
            RecoveryWatch watch = new RecoveryWatch(config, meanRecentLoss(), sample.loss());
            if (sample.gradL2Global() > ceiling(sample) || config.confirmWindow() == 0) {
                ExplosionEvent recorded = record(event);
                recoveries.put(recorded, watch);
                samplesAtEvent.put(recorded, samples);
                first = first == null ? recorded : first;
            } else {
                pending = new PendingSpike(config, event, watch, samples, meanRecentLoss(), meanRecentAccuracy());
            }
        }
        for (ExplosionEvent e : new ExplosionEvent[] {trackCollapse(sample), vanishing.observe(sample), stall.observe(sample),
                largeUpdates.observe(sample), deadUnits.observe(sample), contained.observe(sample)}) {
            if (e == null) continue;
            ExplosionEvent recorded = record(e);
            first = first == null ? recorded : first;
        }
        remember(sample, explosive);
        return Optional.ofNullable(first);
    }

    /** Records a confirmed spike as the explosion event of its own (earlier) iteration. */
    private ExplosionEvent confirm(PendingSpike spike) {
        ExplosionEvent recorded = record(spike.event());
        recoveries.put(recorded, spike.watch());
        samplesAtEvent.put(recorded, spike.samplesAtEvent());
        pending = null;
        return recorded;
    }

    /** Events detected so far, in detection order. */
    public List<ExplosionEvent> events() {
        return List.copyOf(events);
    }

    /** The judgement of the run, everything watched (see {@link #verdict(double, long)}). */
    public Verdict verdict(double finalTestAccuracy) {
        return verdict(finalTestAccuracy, 0);
    }

    /**
     * The judgement of the run so far; asking does not change the detector. The events detected as samples
     * arrived, plus what the windowed rules find over the samples they hold when their window was not reached
     * (a short run), plus {@code not_learning} where the run stands. A collapse event is kept only when
     * {@code finalTestAccuracy} is NaN (unknown) or at most {@code chanceAccuracyMax}; when the accuracy is
     * known, it is added to the collapse trigger as {@code final_accuracy} (with {@code chance_accuracy_max}).
     *
     * @param finalTestAccuracy   accuracy in [0, 1] on the test set after training, or NaN when unknown
     * @param unwatchedIterations iterations the network trained that were not observed (the monitor knows)
     */
    public Verdict verdict(double finalTestAccuracy, long unwatchedIterations) {
        boolean known = !Double.isNaN(finalTestAccuracy);
        if (known && !(finalTestAccuracy >= 0 && finalTestAccuracy <= 1)) {
            throw new IllegalArgumentException("final test accuracy must be in [0, 1] or NaN when unknown, got "
                    + finalTestAccuracy);
        }
        List<ExplosionEvent> all = new ArrayList<>(events);
        Map<ExplosionEvent, RecoveryWatch> watches = new java.util.HashMap<>(recoveries);
        Map<ExplosionEvent, Long> atEvent = new java.util.HashMap<>(samplesAtEvent);
        if (pending != null && !pending.rejected()) {          // the run ended before the following steps could judge the spike
            all.add(pending.event());
            watches.put(pending.event(), pending.watch());
            atEvent.put(pending.event(), pending.samplesAtEvent());
        }
        for (ExplosionEvent e : new ExplosionEvent[] {collapseAtEnd(), vanishing.atEnd(), stall.atEnd(),
                largeUpdates.atEnd(lastIteration), deadUnits.atEnd(), contained.atEnd(lastIteration)}) {
            if (e != null && !reported.contains(e.kind())) all.add(e);
        }
        ExplosionEvent endedSkipping = endedOnSkippedSteps();
        if (endedSkipping != null) all.add(endedSkipping);
        ExplosionEvent notLearned = notLearning.atEnd(finalTestAccuracy);
        if (notLearned != null) all.add(notLearned);
        List<ExplosionEvent> kept = new ArrayList<>(all.size());
        for (ExplosionEvent recorded : all) {
            RecoveryWatch w = watches.get(recorded);
            ExplosionEvent event = w == null ? recorded
                    : recorded.withRecoveredAt(w.recoveredAtEnd(samples - atEvent.get(recorded)));
            if (event.kind() != EventKind.COLLAPSE || !known) {
                kept.add(event);
            } else if (finalTestAccuracy <= config.chanceAccuracyMax()) {
                kept.add(event.withTrigger(Map.of(
                        "final_accuracy", finalTestAccuracy,
                        "chance_accuracy_max", config.chanceAccuracyMax())));
            }
        }
        return new Verdict(kept, samples, unwatchedIterations, unjudged());
    }

    /**
     * A run whose latest samples are non-finite steps a remedy skipped: the weights stayed finite, but no finite step
     * followed, so nothing shows the run recovered (a remedy that gives up after {@code maxConsecutive} skips ends the
     * run exactly here). Judged {@code nonfinite} from the first skipped step of that streak, not contained; null when
     * the latest sample was an ordinary step.
     */
    private ExplosionEvent endedOnSkippedSteps() {
        if (skipStreak == 0 || reported.contains(EventKind.NONFINITE)) return null;
        ExplosionEvent s = skipStreakStart;
        Map<String, Double> trigger = new LinkedHashMap<>(s.trigger());
        trigger.remove(ExplosionEvent.SKIPPED);
        trigger.put("skipped_in_a_row", (double) skipStreak);
        String message = String.format(Locale.ROOT,
                "Non-finite values from iteration %d (epoch %d) on: the remedy skipped the last %d step(s) in a row and no"
                        + " finite step followed before the run ended, so the weights stayed finite but the network stopped training.",
                s.iteration(), s.epoch(), skipStreak);
        return new ExplosionEvent(EventKind.NONFINITE, s.iteration(), s.epoch(), s.layerFirst(), s.layerMost(), trigger,
                message, Advice.nonFinite(facts, false, false), s.layer());
    }

    /** The rules that cannot be judged on what was recorded, rule → why. */
    private Map<String, String> unjudged() {
        Map<String, String> out = new LinkedHashMap<>();
        if (samples < config.minJudgedSamples()) {
            String why = Verdict.TOO_FEW + ": " + samples + " recorded, the rules need at least " + config.minJudgedSamples();
            for (String rule : List.of("collapse", "vanishing", "large_updates", "dead_units", "contained", "stalled", "not_learning")) {
                out.put(rule, why);
            }
        }
        return out;
    }

    /** A dead stretch that reaches the end of a run too short for the full collapse window, or null. */
    private ExplosionEvent collapseAtEnd() {
        if (reported.contains(EventKind.COLLAPSE) || deadRun == 0 || deadRun >= config.collapseWindow()) return null;
        long needed = Math.max(config.minJudgedSamples(), Math.min(config.collapseWindow(), samples / 2));
        return deadRun >= needed ? collapseEvent(deadRun, lastIteration) : null;
    }

    private ExplosionEvent record(ExplosionEvent event) {
        events.add(event);
        reported.add(event.kind());
        return event;
    }

    private void checkSameRun(IterationSample sample) {
        if (sample.iteration() <= lastIteration) {
            throw new IllegalArgumentException("iteration " + sample.iteration() + " after iteration " + lastIteration
                    + ": feed samples in increasing iteration order, one detector per run");
        }
        if (layerNorms == null) {
            layerNorms = new TrailingMedian[sample.layerCount()];
            grownSince = new long[sample.layerCount()];
            for (int l = 0; l < layerNorms.length; l++) {
                layerNorms[l] = new TrailingMedian(config.medianWindow());
                grownSince[l] = -1;
            }
        } else if (sample.layerCount() != layerNorms.length) {
            throw new IllegalArgumentException("iteration " + sample.iteration() + " has " + sample.layerCount()
                    + " layer norms but earlier iterations had " + layerNorms.length
                    + ": record the same layers every iteration, one detector per run");
        }
        lastIteration = sample.iteration();
    }

    /** Which layers have grown at this sample (updating their runs), and which grew first / most. */
    private LayerGrowth layerGrowth(IterationSample sample) {
        Integer first = null;
        Integer most = null;
        double mostRatio = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < layerNorms.length; l++) {
            double norm = sample.layerNorm(l);
            double ratio;
            boolean grown;
            if (!Double.isFinite(norm)) {
                ratio = Double.POSITIVE_INFINITY;
                grown = true;
            } else {
                double median = layerNorms[l].median();
                ratio = norm / median;
                grown = layerNorms[l].size() >= config.warmupSamples() && median > 0
                        && ratio > config.explosionFactor();
            }
            if (!grown) {
                grownSince[l] = -1;
                continue;
            }
            if (grownSince[l] < 0) {
                grownSince[l] = sample.iteration();
            }
            if (first == null || grownSince[l] < grownSince[first]) {
                first = l;
            }
            if (most == null || ratio > mostRatio) {
                most = l;
                mostRatio = ratio;
            }
        }
        return new LayerGrowth(first, most);
    }

    /**
     * The event of a non-finite sample. When a remedy skipped the step (the parameters and the updater state stayed as
     * they were, so the weights are finite; the cause, often a NaN or Infinity in the data, is still there) its trigger
     * has {@code skipped = 1} and the verdict counts it as contained, not as a blow-up. A sample that was finite with an ordinary gradient the step before
     * (and no explosion before) points at the data rather than at the step size.
     */
    private ExplosionEvent nonFinite(IterationSample s, LayerGrowth growth) {
        boolean sudden = previousOrdinary && pending == null;
        Map<String, Double> trigger = new LinkedHashMap<>();
        trigger.put("loss", s.loss());
        trigger.put("global_norm", s.gradL2Global());
        trigger.put("max_abs", s.gradMaxAbs());
        trigger.put("nonfinite_elements", (double) s.gradNonFinite());
        if (sudden) trigger.put("previous_norm", previousNorm);
        if (s.skipped()) trigger.put(ExplosionEvent.SKIPPED, 1.0);
        String after = s.skipped() ? "; the step was skipped, so the weights stay finite"
                : "; the weights are lost from here on";
        String message = String.format(Locale.ROOT,
                "Non-finite values at iteration %d (epoch %d): loss %s, global gradient norm %s, %d non-finite"
                        + " gradient elements%s%s%s.",
                s.iteration(), s.epoch(), Windows.num(s.loss()), Windows.num(s.gradL2Global()), s.gradNonFinite(),
                growth.describe(facts), sudden ? ", after a finite, ordinary step (norm " + Windows.num(previousNorm) + ")" : "",
                after);
        return new ExplosionEvent(EventKind.NONFINITE, s.iteration(), s.epoch(),
                index(growth.first()), index(growth.most()), trigger, message, Advice.nonFinite(facts, sudden, s.skipped()),
                label(growth.most()));
    }

    /**
     * The reference the relative test compares with: max(med_W(g), referenceFraction · med_early), med_early =
     * the median of the run's first W finite norms that did not meet the explosion test (see
     * {@link DetectorConfig}: a tiny late-training median alone does not make an ordinary norm an explosion).
     */
    private double reference() {
        double median = globalNorms.median();
        if (earlyNorms.size() == 0 || config.referenceFraction() == 0) return median;
        return Math.max(median, config.referenceFraction() * earlyNorms.median());
    }

    /** Whether this sample meets the explosion test (against the previous samples only). */
    private boolean explosive(IterationSample s) {
        double g = s.gradL2Global();
        if (!Double.isFinite(g)) return false;
        boolean relative = globalNorms.size() >= config.warmupSamples() && g > config.explosionFloor()
                && g > config.explosionFactor() * reference();
        return relative || g > ceiling(s);
    }

    /**
     * The absolute ceiling at this sample: {@code absoluteCeiling}, times √loss when the loss is a squared error
     * above 1. For L = mean (ŷ − y)² the gradient at the output is 2(ŷ − y)/k, so every gradient norm scales with the
     * error, whose size is √L: targets around 25 give a first-step norm above 100 with Xavier weights that train well.
     * g / √L is what the ceiling then bounds, the size of the weights and activations the error is multiplied by
     * (what a bad init makes large). Classifiers (cross-entropy, MSE on a softmax: L ≤ 1 there) keep the plain ceiling.
     */
    private double ceiling(IterationSample s) {
        double loss = s.loss();
        return facts.squaredErrorLoss() && Double.isFinite(loss) && loss > 1 ? config.absoluteCeiling() * Math.sqrt(loss)
                : config.absoluteCeiling();
    }

    /** The explosion event of a sample that met the explosion test. */
    private ExplosionEvent explosion(IterationSample s, LayerGrowth growth) {
        double g = s.gradL2Global();
        double median = globalNorms.median();
        double reference = reference();
        boolean relative = globalNorms.size() >= config.warmupSamples() && g > config.explosionFloor()
                && g > config.explosionFactor() * reference;
        double ceiling = ceiling(s);
        boolean absolute = g > ceiling;
        Map<String, Double> trigger = new LinkedHashMap<>();
        trigger.put("global_norm", g);
        if (globalNorms.size() > 0) {                     // no history yet (a first-step explosion): no median, no ratio
            trigger.put("recent_median", median);
            trigger.put("reference", reference);
            trigger.put("ratio", g / reference);
        }
        trigger.put("factor", config.explosionFactor());
        trigger.put("ceiling", ceiling);
        if (ceiling != config.absoluteCeiling()) trigger.put("loss_scale", ceiling / config.absoluteCeiling());
        List<String> why = new ArrayList<>(2);
        if (relative) {
            why.add(String.format(Locale.ROOT, "%sx its reference %s (limit %sx; recent median %s)",
                    Windows.num(g / reference), Windows.num(reference), Windows.num(config.explosionFactor()), Windows.num(median)));
        }
        if (absolute) {
            why.add("above the ceiling " + Windows.num(ceiling) + (ceiling == config.absoluteCeiling() ? ""
                    : " (" + Windows.num(config.absoluteCeiling()) + " × √loss, the error's scale)"));
        }
        LayerGrowth layers = growth.first() != null ? growth : largestLayer(s);
        if (s.clipped() || s.skipped()) trigger.put("applied_norm", s.gradL2GlobalClipped());
        String message = String.format(Locale.ROOT, "Gradient explosion at iteration %d (epoch %d): raw global L2 norm %s"
                        + " (before any clipping), %s%s.",
                s.iteration(), s.epoch(), Windows.num(g), String.join(" and ", why), layers.describe(facts));
        boolean atStart = globalNorms.size() == 0;        // at the first recorded step: nothing but the init has acted yet
        return new ExplosionEvent(EventKind.EXPLOSION, s.iteration(), s.epoch(), index(layers.first()), index(layers.most()),
                trigger, message, Advice.explosion(facts, atStart), label(layers.most()));
    }

    /**
     * Attribution when no layer has grown against its own history (an explosion at the first steps, before
     * any median): the layer with the largest norm, as both first and most affected.
     */
    private static LayerGrowth largestLayer(IterationSample s) {
        Integer best = null;
        for (int l = 0; l < s.layerCount(); l++) {
            if (Double.isFinite(s.layerNorm(l)) && (best == null || s.layerNorm(l) > s.layerNorm(best))) best = l;
        }
        return best == null ? new LayerGrowth(null, null) : new LayerGrowth(best, best, true);
    }

    /** Mean minibatch accuracy of the last W samples that have one, NaN when there are none. */
    private double meanRecentAccuracy() {
        return recentAccWindow.isEmpty() ? Double.NaN : recentAccSum / recentAccWindow.size();
    }

    /** Mean loss of the last W finite samples, NaN when there are none. */
    private double meanRecentLoss() {
        return recentLossWindow.isEmpty() ? Double.NaN : recentLossSum / recentLossWindow.size();
    }

    /** Extends or ends the current dead, chance-level stretch; returns the collapse event when it completes. */
    private ExplosionEvent trackCollapse(IterationSample s) {
        double deadness = smallestNorm(s);
        double lossDeviation = Math.abs(s.loss() - config.collapseLoss());
        boolean dead = !s.hasNonFinite() && deadness <= config.collapseGradMax()
                && lossDeviation <= config.collapseLossTolerance();
        if (!dead) {
            deadRun = 0;
            return null;
        }
        if (deadRun == 0) {
            deadStartIteration = s.iteration();
            deadStartEpoch = s.epoch();
            deadMaxGrad = deadness;
            deadMaxLossDeviation = lossDeviation;
        }
        deadRun++;
        deadMaxGrad = Math.max(deadMaxGrad, deadness);
        deadMaxLossDeviation = Math.max(deadMaxLossDeviation, lossDeviation);
        if (deadRun < config.collapseWindow() || reported.contains(EventKind.COLLAPSE)) {
            return null;
        }
        return collapseEvent(config.collapseWindow(), s.iteration());
    }

    private ExplosionEvent collapseEvent(int window, long detectedAt) {
        Map<String, Double> trigger = new LinkedHashMap<>();
        trigger.put("smallest_norm_max", deadMaxGrad);
        trigger.put("grad_max", config.collapseGradMax());
        trigger.put("loss_deviation_max", deadMaxLossDeviation);
        trigger.put("chance_loss", config.collapseLoss());
        trigger.put("loss_tolerance", config.collapseLossTolerance());
        trigger.put("window", (double) window);
        trigger.put("detected_at", (double) detectedAt);
        String message = String.format(Locale.ROOT, "Collapse from iteration %d (epoch %d): for %d samples in a row"
                        + " the smallest gradient norm stayed at most %s (limit %s) and the loss within %s of the"
                        + " chance loss %s, so the network is dead.",
                deadStartIteration, deadStartEpoch, window, Windows.num(deadMaxGrad),
                Windows.num(config.collapseGradMax()), Windows.num(deadMaxLossDeviation), Windows.num(config.collapseLoss()));
        return new ExplosionEvent(EventKind.COLLAPSE, deadStartIteration, deadStartEpoch, null, null, trigger, message,
                Advice.collapse(facts), null);
    }

    /** min(g, min_l g_l): ~0 as soon as one whole layer is dead, even while the output bias still learns. */
    private static double smallestNorm(IterationSample s) {
        double smallest = s.gradL2Global();
        for (int l = 0; l < s.layerCount(); l++) {
            smallest = Math.min(smallest, s.layerNorm(l));
        }
        return smallest;
    }

    private void remember(IterationSample s, boolean explosive) {
        previousOrdinary = !s.hasNonFinite() && !explosive && !reported.contains(EventKind.EXPLOSION);
        previousNorm = s.gradL2Global();
        if (Double.isFinite(s.gradL2Global())) {
            globalNorms.add(s.gradL2Global());
            if (!explosive && earlyNorms.size() < config.medianWindow()) earlyNorms.add(s.gradL2Global());
        }
        if (!Double.isNaN(s.batchAccuracy())) {
            recentAccWindow.addLast(s.batchAccuracy());
            recentAccSum += s.batchAccuracy();
            if (recentAccWindow.size() > config.medianWindow()) recentAccSum -= recentAccWindow.removeFirst();
        }
        if (Double.isFinite(s.loss())) {
            recentLossWindow.addLast(s.loss());
            recentLossSum += s.loss();
            if (recentLossWindow.size() > config.medianWindow()) recentLossSum -= recentLossWindow.removeFirst();
        }
        for (int l = 0; l < layerNorms.length; l++) {
            if (Double.isFinite(s.layerNorm(l))) {
                layerNorms[l].add(s.layerNorm(l));
            }
        }
    }


    private Integer index(Integer ordinal) {
        return ordinal == null ? null : facts.layerIndex(ordinal);
    }

    private String label(Integer ordinal) {
        return ordinal == null ? null : facts.layerLabel(ordinal);
    }

    /** Layer attribution of one sample: the grown layer that grew first and the one that grew most. */
    private record LayerGrowth(Integer first, Integer most, boolean largestOnly) {
        LayerGrowth(Integer first, Integer most) {
            this(first, most, false);
        }

        String describe(NetworkFacts facts) {
            if (first == null) return "";
            return largestOnly ? "; the largest norm is " + facts.layerLabel(first) + "'s"
                    : "; " + facts.layerLabel(first) + " grew first, " + facts.layerLabel(most) + " most";
        }
    }
}
