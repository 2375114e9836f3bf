package org.explosionlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.network.KerasH5Writer;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;

/**
 * The command line of {@link KerasH5Writer}, the generator of {@code src/test/resources/keras/seed-baseline.h5}:
 * {@code java -cp ... org.explosionlab.cli.KerasH5WriterMain [FILE] [--preset NAME] [--keras-version V]}.
 */
public final class KerasH5WriterMain {
    private KerasH5WriterMain() {
    }

    /**
     * {@code KerasH5WriterMain [FILE] [--preset NAME] [--keras-version V]}: writes a preset's network (DenseLayers, Adam; default
     * {@code seed-baseline}) with its initial weights to FILE (default {@code src/test/resources/keras/seed-baseline.h5}),
     * through a temporary file in the same directory moved into place, so nothing half-written is left. Exit code 0, or 2
     * with one line on stderr for bad input (an unknown option, a FILE not ending in .h5/.hdf5, a preset it cannot write).
     */
    public static void main(String... args) {
        ConsoleLogging.apply();               // the application's slf4j-simple settings, before any logger exists
        System.exit(run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args));
    }

    /** {@link #main} without {@code System.exit}: the exit code. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        picocli.CommandLine cli = new picocli.CommandLine(new Command());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("KerasH5WriterMain: " + ex.getMessage().strip().split("\\R", 2)[0] + " (see KerasH5WriterMain --help)");
            err.flush();
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, c, r) -> {
            if (!(ex instanceof IllegalArgumentException || ex instanceof java.io.UncheckedIOException)) throw ex;
            err.println("KerasH5WriterMain: " + ex.getMessage().strip().split("\\R", 2)[0]);
            err.flush();
            return 2;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    @picocli.CommandLine.Command(name = "KerasH5WriterMain", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Writes a preset's dense network with its initial weights as a Keras 2 HDF5 model file (model.save('model.h5') "
                    + "of tf.keras 2.x), readable by DL4J's KerasModelImport, without TensorFlow.")
    static final class Command implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
                description = "the .h5 (or .hdf5) file to write, replaced if it exists (default: ${DEFAULT-VALUE})")
        Path out = Path.of("src/test/resources/keras/seed-baseline.h5");

        @picocli.CommandLine.Option(names = "--preset", paramLabel = "NAME",
                description = "a preset of DenseLayers and one OutputLayer with Adam (default: ${DEFAULT-VALUE})")
        String preset = "seed-baseline";

        @picocli.CommandLine.Option(names = "--keras-version", paramLabel = "V",
                description = "the keras_version attribute, 2.x.y (default: ${DEFAULT-VALUE}); 2.11 and later write Adam without decay, as Keras does")
        String kerasVersion = KerasH5Writer.KERAS_VERSION;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String name = out.getFileName() == null ? "" : out.getFileName().toString();
            if (!(name.endsWith(".h5") || name.endsWith(".hdf5")) || name.startsWith("-")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "FILE must be a Keras HDF5 file name ending in .h5 or .hdf5, got '" + out + "'");
            }
            if (!kerasVersion.matches("2\\.\\d+\\.\\d+")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--keras-version must be 2.x.y (DL4J 1.0.0-M2.1 imports Keras 1 and 2 files), got '" + kerasVersion + "'");
            }
            ExperimentSpec seed;
            try {
                seed = Presets.load(preset);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--preset " + preset + ": " + e.getMessage(), e);
            }
            int minor = Integer.parseInt(kerasVersion.split("\\.")[1]);
            KerasH5Writer.Options o = new KerasH5Writer.Options(kerasVersion, "sparse_categorical_crossentropy", minor < 11);
            MultiLayerNetwork net = NetworkFactory.build(seed);
            Path target = out.toAbsolutePath();
            Path tmp = target.resolveSibling("." + name + ".tmp-" + ProcessHandle.current().pid() + ".h5");
            try {
                KerasH5Writer.write(net, tmp, o);
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (java.io.IOException ignored) {
                    // nothing more to do: the temporary name is hidden and unique to this process
                }
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (Keras %s HDF5 of %s, %d parameters)%n", out, kerasVersion, seed.name(),
                    net.numParams());
            return 0;
        }
    }
}
