package org.explosionlab.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark child JVM reports on its standard output, one line per measured epoch and one for
 * its peak RSS, so that the parent can read it back among any other output (ND4J's start-up lines):
 * <pre>
 * bench-epoch setup=project batch=32 examples=7996 wall_ns=261000000 cpu_ns=300000000 thread_ns=255000000
 * bench-peak setup=project batch=32 vmhwm_kib=612345 threads=1
 * </pre>
 *
 * @param setupId    the {@link Settings} id, or the {@link PythonReference} id
 * @param peakRssKib VmHWM of the child at its end, KiB; -1 if unknown
 * @param threads    ND4J's op thread count in the child (OpenMP), -1 if unknown
 */
public record ChildReport(String setupId, int batch, List<EpochTiming> epochs, long peakRssKib, int threads) {
    static final String EPOCH = "bench-epoch";
    static final String PEAK = "bench-peak";

    public ChildReport {
        epochs = List.copyOf(epochs);
    }

    public List<String> toLines() {
        List<String> lines = new ArrayList<>();
        for (EpochTiming e : epochs) {
            lines.add(String.format(Locale.ROOT, "%s setup=%s batch=%d examples=%d wall_ns=%d cpu_ns=%d thread_ns=%d", EPOCH,
                    setupId, batch, e.examples(), e.wallNanos(), e.cpuNanos(), e.threadCpuNanos()));
        }
        lines.add(String.format(Locale.ROOT, "%s setup=%s batch=%d vmhwm_kib=%d threads=%d", PEAK, setupId, batch, peakRssKib, threads));
        return lines;
    }

    /** All measured epochs of the child as one stretch. */
    public EpochTiming total() {
        return EpochTiming.sum(epochs);
    }

    /** Reads the report out of a child's output; other lines are ignored. */
    public static ChildReport parse(List<String> output) {
        String setup = null;
        int batch = -1;
        long peak = Long.MIN_VALUE;
        int threads = -1;
        List<EpochTiming> epochs = new ArrayList<>();
        for (String line : output) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 0 || !words[0].equals(EPOCH) && !words[0].equals(PEAK)) continue;
            Map<String, String> kv = new HashMap<>();
            for (int i = 1; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq > 0) kv.put(words[i].substring(0, eq), words[i].substring(eq + 1));
            }
            setup = require(kv, "setup", line);
            batch = Integer.parseInt(require(kv, "batch", line));
            if (words[0].equals(EPOCH)) {
                epochs.add(new EpochTiming(Long.parseLong(require(kv, "examples", line)),
                        Long.parseLong(require(kv, "wall_ns", line)), Long.parseLong(require(kv, "cpu_ns", line)),
                        Long.parseLong(require(kv, "thread_ns", line))));
            } else {
                peak = Long.parseLong(require(kv, "vmhwm_kib", line));
                threads = Integer.parseInt(kv.getOrDefault("threads", "-1"));
            }
        }
        if (setup == null || epochs.isEmpty() || peak == Long.MIN_VALUE) {
            throw new IllegalStateException("benchmark child reported no complete result (need " + EPOCH + " and "
                    + PEAK + " lines)");
        }
        return new ChildReport(setup, batch, epochs, peak, threads);
    }

    private static String require(Map<String, String> kv, String key, String line) {
        String v = kv.get(key);
        if (v == null) throw new IllegalStateException("benchmark line without " + key + ": " + line);
        return v;
    }
}
