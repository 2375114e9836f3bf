package org.explosionlab.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code bench/numpy_mlp_reference.py} (the same 784-128-64-10 ReLU/softmax MLP with Adam in plain
 * numpy, one epoch) and reads back its examples/s. A small wrapper, passed to {@code python3 -c}, leaves
 * the script untouched and adds what it does not print: the process CPU time between its two
 * {@code time.perf_counter()} calls (the training loop) and the peak RSS ({@code ru_maxrss}, KiB). The
 * process CPU time also stands in for the training thread's (exact with one OpenBLAS thread).
 *
 * @param python     the interpreter, e.g. {@code python3}
 * @param script     path of numpy_mlp_reference.py
 * @param dataDir    the IDX directory it trains on (the same files as the Java side)
 * @param threads    OpenBLAS threads; 0 = its default (one per core)
 */
public record NumpyReference(String python, Path script, Path dataDir, int threads) {
    /** Row id in the results table. */
    public String id() {
        return threads == 0 ? "numpy" : "numpy-" + threads + "t";
    }

    public String label() {
        return threads == 0 ? "numpy reference, OpenBLAS default threads" : "numpy reference, " + threads + " thread"
                + (threads == 1 ? "" : "s");
    }

    static final String WRAPPER = String.join("\n",
            "import resource, runpy, sys, time",
            "real, marks = time.perf_counter, []",
            "def counter():",
            "    marks.append(time.process_time())",
            "    return real()",
            "time.perf_counter = counter",
            "sys.argv = sys.argv[1:]",
            "runpy.run_path(sys.argv[0], run_name='__main__')",
            "print('bench-numpy cpu_s=%.6f peak_kib=%d' % (marks[-1] - marks[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))");

    List<String> command(int batch) {
        List<String> cmd = new ArrayList<>(List.of(python, "-c", WRAPPER, script.toString(), dataDir.toString(),
                "--batch", Integer.toString(batch), "--epochs", "1"));
        if (threads > 0) {
            cmd.add("--threads");
            cmd.add(Integer.toString(threads));
        }
        return cmd;
    }

    /** Runs one epoch and reports it like a Java child. */
    public ChildReport run(int batch) {
        return parse(ChildProcess.run(command(batch), threads == 0 ? null : threads), batch);
    }

    /**
     * Reads the script's line ({@code numpy-reference batch=32 epochs=1 train=7996 examples_per_s=30780 ...})
     * and the wrapper's ({@code bench-numpy cpu_s=0.25 peak_kib=123456}).
     */
    ChildReport parse(List<String> output, int batch) {
        long examples = -1;
        double perSecond = Double.NaN;
        double cpuSeconds = Double.NaN;
        long peak = -1;
        for (String line : output) {
            for (String word : line.trim().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq < 0) continue;
                String key = word.substring(0, eq);
                String value = word.substring(eq + 1);
                if (line.startsWith("numpy-reference") && key.equals("train")) examples = Long.parseLong(value);
                if (line.startsWith("numpy-reference") && key.equals("examples_per_s")) perSecond = Double.parseDouble(value);
                if (line.startsWith("bench-numpy") && key.equals("cpu_s")) cpuSeconds = Double.parseDouble(value);
                if (line.startsWith("bench-numpy") && key.equals("peak_kib")) peak = Long.parseLong(value);
            }
        }
        if (examples <= 0 || !(perSecond > 0) || Double.isNaN(cpuSeconds)) {
            throw new IllegalStateException("numpy reference printed no result: " + String.join(" | ", output));
        }
        long wallNanos = Math.round(examples / perSecond * 1e9);
        return new ChildReport(id(), batch, List.of(new EpochTiming(examples, wallNanos, Math.round(cpuSeconds * 1e9))), peak);
    }
}
