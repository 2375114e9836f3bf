package org.explosionlab.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The physical limit, printed as a reference and not a target: the same 784-128-64-10 ReLU/softmax MLP
 * with Adam, trained outside DL4J on the same IDX files (the embedded MNIST subset, {@code data/mnist})
 * with the same batch size, by {@code bench/numpy_mlp_reference.py} (numpy, OpenBLAS) or
 * {@code bench/torch_mlp_reference.py} (PyTorch on CPU; Debian's {@code python3-torch}). Both time
 * their training loop between two {@code time.perf_counter()} calls. A small wrapper, passed to
 * {@code python -c}, runs the script unchanged and adds what it does not print: the wall and process CPU
 * time between the script's own two {@code perf_counter} calls (calls from other files are ignored) and
 * the peak RSS ({@code VmHWM} of {@code /proc/self/status}, KiB — not {@code ru_maxrss}, which Linux
 * carries over {@code exec} from the process that started it, here the benchmark JVM). The process CPU
 * time also stands in for the training thread's (exact with one thread).
 * <pre>
 * examples = train × epochs (from the script's line)     wall, CPU = between its two perf_counter calls
 * </pre>
 *
 * @param kind    numpy or torch
 * @param python  the interpreter (Debian's python3-torch installs into /usr/bin/python3)
 * @param script  path of the reference script
 * @param dataDir the IDX directory (the same files as the Java side)
 * @param threads BLAS / torch threads; 0 = the library's default (numpy only)
 * @param epochs  timed epochs (torch trains one untimed warm-up epoch first)
 */
public record PythonReference(Kind kind, String python, Path script, Path dataDir, int threads, int epochs) {
    /** Which script. */
    public enum Kind {
        NUMPY("numpy", "numpy-reference"), TORCH("torch", "torch-reference");

        final String module;
        final String linePrefix;

        Kind(String module, String linePrefix) {
            this.module = module;
            this.linePrefix = linePrefix;
        }
    }

    /**
     * Set by this machine's environment for other tools; they slow a current OpenBLAS down (the
     * references' README), so they are removed for the numpy child only.
     */
    static final Set<String> NUMPY_UNSET = Set.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    public PythonReference {
        if (epochs < 1) throw new IllegalArgumentException("reference epochs must be >= 1, got " + epochs);
        if (threads < 0 || kind == Kind.TORCH && threads == 0) {
            throw new IllegalArgumentException(kind.module + " threads must be >= " + (kind == Kind.TORCH ? 1 : 0) + ", got " + threads);
        }
    }

    /** Row id in the results table, e.g. {@code numpy-1t}. */
    public String id() {
        return kind.module + (threads == 0 ? "" : "-" + threads + "t");
    }

    public String label() {
        String t = threads == 0 ? "OpenBLAS default threads" : threads + " thread" + (threads == 1 ? "" : "s");
        return kind == Kind.NUMPY ? "numpy MLP (" + script.getFileName() + "), " + t
                : "PyTorch CPU MLP (" + script.getFileName() + "), " + t;
    }

    static final String WRAPPER = String.join("\n",
            "import runpy, sys, time",
            "script = sys.argv[1]",
            "real, marks = time.perf_counter, []",
            "def counter():",
            "    t = real()",
            "    if sys._getframe(1).f_code.co_filename == script:",
            "        marks.append((t, time.process_time()))",
            "    return t",
            "time.perf_counter = counter",
            "sys.argv = sys.argv[1:]",
            "runpy.run_path(script, run_name='__main__')",
            "try:",
            "    peak = int([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')][0])",
            "except Exception:",
            "    peak = -1",
            "print('bench-python wall_s=%.6f cpu_s=%.6f peak_kib=%d' % (marks[-1][0] - marks[0][0], marks[-1][1] - marks[0][1], peak))");

    /** The command for one run at {@code batch}. */
    List<String> command(int batch) {
        List<String> cmd = new ArrayList<>(List.of(python, "-c", WRAPPER, script.toString(), dataDir.toString(),
                "--batch", Integer.toString(batch), "--epochs", Integer.toString(epochs)));
        if (threads > 0) {
            cmd.add("--threads");
            cmd.add(Integer.toString(threads));
        }
        return cmd;
    }

    /** The command that says whether the interpreter can import the library ({@code python -c "import torch"}). */
    List<String> importCheck() {
        return List.of(python, "-c", "import " + kind.module);
    }

    /** Runs the reference once and reports it like a Java child. */
    public ChildReport run(int batch) {
        return parse(ChildProcess.run(command(batch), threads == 0 ? null : threads, kind == Kind.NUMPY ? NUMPY_UNSET : Set.of()), batch);
    }

    /**
     * Reads the script's line ({@code numpy-reference batch=32 epochs=5 train=7996 examples_per_s=30780 ...})
     * and the wrapper's ({@code bench-python wall_s=1.3 cpu_s=1.29 peak_kib=123456}).
     */
    ChildReport parse(List<String> output, int batch) {
        long train = -1;
        long runEpochs = -1;
        double wall = Double.NaN;
        double cpu = Double.NaN;
        long peak = -1;
        for (String line : output) {
            boolean script = line.startsWith(kind.linePrefix + " ");
            boolean wrapper = line.startsWith("bench-python ");
            if (!script && !wrapper) continue;
            for (String word : line.trim().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq < 0) continue;
                String key = word.substring(0, eq);
                String value = word.substring(eq + 1);
                if (script && key.equals("train")) train = Long.parseLong(value);
                if (script && key.equals("epochs")) runEpochs = Long.parseLong(value);
                if (wrapper && key.equals("wall_s")) wall = Double.parseDouble(value);
                if (wrapper && key.equals("cpu_s")) cpu = Double.parseDouble(value);
                if (wrapper && key.equals("peak_kib")) peak = Long.parseLong(value);
            }
        }
        if (train <= 0 || runEpochs <= 0 || !(wall > 0) || !(cpu >= 0)) {
            throw new IllegalStateException(id() + " reference printed no result: " + String.join(" | ", output));
        }
        EpochTiming t = new EpochTiming(train * runEpochs, Math.round(wall * 1e9), Math.round(cpu * 1e9));
        return new ChildReport(id(), batch, List.of(t), peak, threads == 0 ? -1 : threads);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s %s)", id(), python, script);
    }
}
