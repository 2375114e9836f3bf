package org.explosionlab.detection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.explosionlab.spec.EventKind;

/**
 * The judgement of one run: the events found, earliest first, how much of the run was watched, which rules
 * could not be judged, and what follows. Everything but those inputs is derived, so it cannot disagree.
 *
 * <p>The one-word {@link #kind()}, first match wins:
 * <ol>
 *   <li>the earliest <b>blow-up</b> training did not recover from: {@code explosion} or {@code nonfinite}
 *       (a blow-up is usually the cause of the slow failures after it, and a NaN after an explosion its
 *       consequence);</li>
 *   <li>the most severe <b>slow failure</b>: collapse &gt; dead_units &gt; large_updates &gt; vanishing &gt; stalled
 *       &gt; not_learning;</li>
 *   <li>{@code contained}: a remedy kept an explosion from the weights, or skipped non-finite steps so the weights stayed
 *       finite ({@link ExplosionEvent#skippedStep()}); the cause is still there;</li>
 *   <li>{@code no_data}: nothing was recorded (the monitor was never called: removed by {@code setListeners},
 *       never added, or no training yet);</li>
 *   <li>{@code unwatched}: the network trained iterations the monitor did not see (it was removed or added
 *       midway);</li>
 *   <li>{@code too_short}: fewer samples than the windowed rules need ({@link #unjudged()} names them);</li>
 *   <li>{@code recovered}: the only events are explosions training recovered from;</li>
 *   <li>{@code healthy}: watched, long enough, no event.</li>
 * </ol>
 * {@code healthy} is never said of a run that failed, that was not watched, or that is too short to judge.
 *
 * <p>JSON shape (snake_case): {@code {"exploded", "kind", "first_iteration", "samples", "unwatched_iterations",
 * "unjudged": {"rule": "why"}, "events": [...], "advice"}}; the derived keys are written but ignored when read
 * back. {@code samples} is null in files written before it was recorded (then no_data/too_short do not apply).
 *
 * @param events              the detected events, sorted by iteration (events on the same iteration keep their order)
 * @param samples             recorded iterations the rules saw, null when unknown (an older file)
 * @param unwatchedIterations iterations the network trained while the monitor was not listening
 * @param unjudged            rules that could not be judged, rule name → why (the run was too short, or the
 *                            network gives the rule nothing to read)
 * @param warnings            the early warnings raised ({@link WarningRule}), by iteration; they never change the
 *                            kind: a run with warnings and no event is still {@code healthy}. Empty in older files
 */
@JsonPropertyOrder({"exploded", "kind", "first_iteration", "samples", "unwatched_iterations", "unjudged", "events", "warnings", "advice"})
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(value = {"exploded", "kind", "first_iteration", "advice"}, allowGetters = true)
public record Verdict(@JsonProperty("events") List<ExplosionEvent> events,
                      @JsonProperty("samples") Long samples,
                      @JsonProperty("unwatched_iterations") long unwatchedIterations,
                      @JsonProperty("unjudged") Map<String, String> unjudged,
                      @JsonProperty("warnings") List<Warning> warnings) {

    /** The one word a run is judged by. */
    public enum Kind {
        HEALTHY("healthy"), RECOVERED("recovered"), CONTAINED("contained"),
        NONFINITE("nonfinite"), EXPLOSION("explosion"), COLLAPSE("collapse"), DEAD_UNITS("dead_units"),
        LARGE_UPDATES("large_updates"), VANISHING("vanishing"), STALLED("stalled"), NOT_LEARNING("not_learning"),
        NO_DATA("no_data"), UNWATCHED("unwatched"), TOO_SHORT("too_short");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The lower-case name in JSON, tables and messages. */
        @JsonValue
        public String label() {
            return label;
        }

        /** Whether a run of this kind failed to train (a blow-up or a slow failure). */
        public boolean failed() {
            return FAILURES.contains(this);
        }

        /** The verdict kind of an event kind. */
        static Kind of(EventKind kind) {
            return valueOf(kind.name());
        }

        /** Parses a label ({@code healthy}, {@code no_data}, ...). */
        @JsonCreator
        public static Kind fromLabel(String label) {
            for (Kind k : values()) if (k.label.equals(label)) return k;
            throw new IllegalArgumentException("unknown verdict kind '" + label + "'");
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private static final Set<Kind> FAILURES = EnumSet.of(Kind.NONFINITE, Kind.EXPLOSION, Kind.COLLAPSE, Kind.DEAD_UNITS,
            Kind.LARGE_UPDATES, Kind.VANISHING, Kind.STALLED, Kind.NOT_LEARNING);

    /** The slow failures, most severe first (they decide only when nothing blew up). */
    private static final List<EventKind> SEVERITY = List.of(EventKind.COLLAPSE, EventKind.DEAD_UNITS,
            EventKind.LARGE_UPDATES, EventKind.VANISHING, EventKind.STALLED, EventKind.NOT_LEARNING);

    public Verdict {
        events = Objects.requireNonNull(events, "events").stream()
                .sorted(Comparator.comparingLong(ExplosionEvent::iteration))
                .toList();
        unjudged = Collections.unmodifiableMap(new TreeMap<>(unjudged == null ? Map.of() : unjudged));   // sorted by rule
        if (unwatchedIterations < 0) throw new IllegalArgumentException("unwatchedIterations must be >= 0");
        warnings = warnings == null ? List.of() : warnings.stream().sorted(Comparator.comparingLong(Warning::iteration)).toList();
    }

    /** A verdict without warnings (the monitor adds its warnings with {@link #withWarnings}). */
    public Verdict(List<ExplosionEvent> events, Long samples, long unwatchedIterations, Map<String, String> unjudged) {
        this(events, samples, unwatchedIterations, unjudged, List.of());
    }

    /** The same verdict with these early warnings (they do not change the kind). */
    public Verdict withWarnings(List<Warning> warnings) {
        return new Verdict(events, samples, unwatchedIterations, unjudged, warnings);
    }

    /** A verdict over events alone (samples unknown, everything watched and judged): for tests and older files. */
    public Verdict(List<ExplosionEvent> events) {
        this(events, null, 0, Map.of());
    }

    /**
     * The event that decides the kind: the earliest unrecovered explosion or non-finite event; else the
     * earliest event of the most severe slow kind; else the first contained event; when all events are
     * recovered explosions, the first of them; null when there is no event.
     */
    public ExplosionEvent decidingEvent() {
        for (ExplosionEvent e : events) {
            if ((e.kind() == EventKind.EXPLOSION || e.kind() == EventKind.NONFINITE) && !e.recovered() && !e.skippedStep()) return e;
        }
        for (EventKind kind : SEVERITY) {
            for (ExplosionEvent e : events) {
                if (e.kind() == kind) return e;
            }
        }
        for (ExplosionEvent e : events) {
            if (e.kind() == EventKind.CONTAINED || e.skippedStep()) return e;
        }
        return events.isEmpty() ? null : events.get(0);
    }

    /** True when the gradient blew up at some point: an explosion (recovered or not) or a non-finite value. */
    @JsonProperty("exploded")
    public boolean exploded() {
        return events.stream().anyMatch(e -> e.kind() == EventKind.EXPLOSION || e.kind() == EventKind.NONFINITE);
    }

    /** True when the run failed to train: the kind is a blow-up or a slow failure. */
    public boolean failed() {
        return kind().failed();
    }

    /** True only for {@link Kind#HEALTHY}: watched, long enough to judge, no event. */
    public boolean healthy() {
        return kind() == Kind.HEALTHY;
    }

    /** See the class comment for the order. */
    @JsonProperty("kind")
    public Kind kind() {
        ExplosionEvent d = decidingEvent();
        if (d != null && d.skippedStep()) return Kind.CONTAINED;
        if (d != null && !d.recovered()) return Kind.of(d.kind());
        if (samples != null && samples == 0) return Kind.NO_DATA;
        if (unwatchedIterations > 0) return Kind.UNWATCHED;
        if (samples != null && !unjudged.isEmpty() && unjudged.values().stream().anyMatch(w -> w.startsWith(TOO_FEW))) {
            return Kind.TOO_SHORT;
        }
        return d == null ? Kind.HEALTHY : Kind.RECOVERED;
    }

    /** The start of the reason of a rule left unjudged because the run was too short. */
    public static final String TOO_FEW = "too few samples";

    /** The iteration of the deciding event, or null when there is none. */
    @JsonProperty("first_iteration")
    public Long firstIteration() {
        ExplosionEvent d = decidingEvent();
        return d == null ? null : d.iteration();
    }

    /** One line on what happened and what to do, for the deciding event (the others are usually its consequences). */
    @JsonProperty("advice")
    public String advice() {
        ExplosionEvent d = decidingEvent();
        Kind kind = kind();
        switch (kind) {
            case NO_DATA:
                return "The monitor recorded no iteration: it was not among the network's listeners while it trained."
                        + " net.setListeners(...) replaces every listener: add the monitor after it (net.addListeners(monitor))"
                        + " or pass it in the same call (net.setListeners(new ScoreIterationListener(10), monitor)).";
            case UNWATCHED:
                return "The network trained " + unwatchedIterations + " iterations the monitor did not see (it was removed by"
                        + " net.setListeners(...) or added after training started), so the run cannot be called healthy:"
                        + " keep the monitor among the listeners for the whole run.";
            case TOO_SHORT:
                return "Only " + samples + " iterations were recorded: too few to judge " + String.join(", ", unjudged.keySet())
                        + ". Train longer (or record every iteration) before trusting a verdict.";
            case HEALTHY:
                return "No action needed: no non-finite value, explosion, collapse, dead units, large or vanishing update,"
                        + " stall or failure to learn was detected in " + (samples == null ? "the" : samples) + " recorded iterations."
                        + (warnings.isEmpty() ? "" : " " + warnings.size() + " early warning" + (warnings.size() == 1 ? "" : "s")
                        + " (first at iteration " + warnings.get(0).iteration() + ": " + warnings.get(0).signal()
                        + ") did not turn into an explosion: the run stays healthy, but it trained near its stability limit.");
            default:
                break;
        }
        if (d.recovered()) {
            return "The gradient exploded at iteration " + d.iteration() + " and training recovered: normal steps from"
                    + " iteration " + d.recoveredAt() + " on. To avoid the spike: " + d.adviceOrDefault();
        }
        String what = d.skippedStep() ? "A remedy skipped the non-finite step at iteration " + d.iteration() + "."
                : kind == Kind.CONTAINED ? "An explosion was contained by the remedy from iteration " + d.iteration() + "."
                : "The run failed by " + d.kind().label() + " at iteration " + d.iteration() + ".";
        return what + " " + d.adviceOrDefault();
    }

    /** One line for a test failure or a log: kind, first event (iteration, layer, trigger) and advice. */
    public String summary() {
        ExplosionEvent d = decidingEvent();
        StringBuilder b = new StringBuilder("verdict ").append(kind().label());
        if (samples != null) b.append(" over ").append(samples).append(" recorded iterations");
        if (d != null) {
            b.append("; first event: ").append(d.kind().label()).append(" at iteration ").append(d.iteration());
            if (d.layer() != null) b.append(" in ").append(d.layer());
            b.append(", trigger ").append(d.trigger().entrySet().stream().limit(4)
                    .map(e -> e.getKey() + "=" + NetworkFacts.number(e.getValue())).collect(Collectors.joining(", ", "{", "}")));
        }
        return b.append(". ").append(advice()).toString();
    }
}
