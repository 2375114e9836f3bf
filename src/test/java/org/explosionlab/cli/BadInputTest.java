package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.FullMnistDownload;
import org.explosionlab.training.RuntimeTuning;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "bad input and faults" contract of the command line, one row per bad input: the run ends with exit
 * code 2 and exactly one stderr line that says what is wrong (the fragments below) and what to do; no
 * usage text, no stack trace, nothing on stdout, and not one file or directory added to or changed in the
 * temporary directory (in particular the intended {@code --out} directory is never created).
 *
 * <p>Rows that would train get {@code --max-batches 1 --epochs 1} (and an {@code --out} inside the
 * temporary directory), so that a check that wrongly passes fails fast instead of training for minutes.
 * In {@code args}, {@value #TMP} stands for the row's temporary directory.
 */
class BadInputTest {
    static final String TMP = "@";
    private static final Duration ROW_LIMIT = Duration.ofSeconds(120);
    private static final Duration OFFLINE_LIMIT = Duration.ofSeconds(10);

    /** Creates the files a row needs, inside the row's temporary directory. */
    @FunctionalInterface
    interface Fixture {
        void create(Path tmp) throws IOException;
    }

    /** Why a row cannot run on this machine (null = it can). */
    @FunctionalInterface
    interface Precondition {
        String unmetReason(Path tmp) throws IOException;
    }

    /** One bad input and what the user must be told. */
    record Row(String name, List<String> args, List<String> expected, Fixture fixture, Precondition precondition,
               Duration limit) {
        Row expect(String... fragments) {
            return new Row(name, args, List.of(fragments), fixture, precondition, limit);
        }

        Row given(Fixture f) {
            return new Row(name, args, expected, f, precondition, limit);
        }

        Row onlyIf(Precondition p) {
            return new Row(name, args, expected, fixture, p, limit);
        }

        Row skipAfter(Duration d) {
            return new Row(name, args, expected, fixture, precondition, d);
        }

        String[] resolve(Path tmp) {
            return args.stream().map(a -> a.startsWith(TMP) ? tmp + a.substring(TMP.length()) : a).toArray(String[]::new);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, String... args) {
        return new Row(name, List.of(args), List.of(), tmp -> { }, tmp -> null, ROW_LIMIT);
    }

    /** {@code train ARGS} plus {@code --out @/run --max-batches 1 --epochs 1} where ARGS does not set them. */
    static Row train(String name, String... args) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(List.of(args));
        if (!all.contains("--out")) all.addAll(List.of("--out", TMP + "/run"));
        if (!all.contains("--max-batches")) all.addAll(List.of("--max-batches", "1"));
        if (!all.contains("--epochs")) all.addAll(List.of("--epochs", "1"));
        return row(name, all.toArray(String[]::new));
    }

    static Stream<Row> rows() {
        return Stream.of(
                // ---- command line
                row("no command").expect("no command given; commands: train, presets, demo", "explosion-lab --help"),
                row("unknown command", "bogus").expect("unknown command 'bogus'", "commands: train, presets, demo", "explosion-lab --help"),
                train("unknown option", "--bogus").expect("unknown option '--bogus'", "explosion-lab train --help"),
                train("misspelt option gets a suggestion", "--epoch", "1").expect("unknown option '--epoch'", "did you mean --epochs"),
                row("stray argument to a command", "presets", "extra").expect("unexpected argument 'extra'", "explosion-lab presets --help"),
                train("non-numeric --epochs", "--epochs", "abc").expect("--epochs needs a whole number, got 'abc'", "train --help"),
                train("non-numeric --max-batches", "--max-batches", "x").expect("--max-batches needs a whole number, got 'x'", "train --help"),
                train("--epochs out of range", "--epochs", "-1").expect("--epochs -1: epochs must be between 1 and 10000, got -1"),
                train("--set epochs not an integer", "--set", "epochs=1.5").expect("field 'epochs' must be an integer, got 1.5"),
                train("zero learning rate", "--set", "learningRate=0").expect("learningRate must be a finite number > 0, got 0.0"),
                train("negative learning rate", "--set", "learningRate=-1").expect("learningRate must be a finite number > 0, got -1.0"),
                train("ClipL2PerLayer with threshold 0", "--set", "gradientNormalization=ClipL2PerLayer",
                        "--set", "gradientNormalizationThreshold=0").expect("gradientNormalizationThreshold must be a finite number > 0, got 0.0"),
                train("batch size 0", "--set", "batchSize=0").expect("batchSize must be between 1 and 60000, got 0"),
                train("global_l2 clipping with threshold 0", "--set", "clipping=global_l2", "--set", "clipThreshold=0")
                        .expect("clipThreshold must be a finite number > 0, got 0.0"),
                train("unknown preset", "--preset", "nope").expect("unknown preset 'nope'", "presets: seed-baseline", "explosion-lab presets"),
                train("unknown weightInit lists the valid ones", "--set", "weightInit=FOO")
                        .expect("field 'weightInit' must be one of [", "XAVIER_UNIFORM", "got \"FOO\""),
                train("unknown updater", "--set", "updater=FOO").expect("field 'updater' must be one of [SGD, ADAM,", "got \"FOO\""),
                train("--set on a field that does not exist", "--set", "learningRat=0.1")
                        .expect("unknown spec field 'learningRat'", "fields: name, description, layerSizes"),
                train("--set without '='", "--set", "learningRate").expect("--set learningRate: expected key=value, e.g. --set learningRate=0.1"),
                row("--set without a value", "train", "--out", TMP + "/run", "--max-batches", "1", "--set").expect("Missing required parameter for option '--set'", "train --help"),
                train("--preset and --spec together", "--preset", "bad-init", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\"}"))
                        .expect("--preset=NAME, --spec=FILE are mutually exclusive", "train --help"),
                train("negative --console-every", "--console-every", "-1").expect("--console-every must be >= 0, got -1"),
                // ---- diagnose
                row("diagnose: --json in a missing directory", "diagnose", "--json", TMP + "/absent/d.json")
                        .expect("--json", "absent/d.json: directory", "does not exist; create it or choose another file"),
                row("diagnose: --json is a directory", "diagnose", "--json", TMP).expect("is a directory; give a file name"),
                row("diagnose: --batches 0", "diagnose", "--batches", "0").expect("--batches must be >= 1, got 0"),
                row("diagnose: unknown preset", "diagnose", "--preset", "nope").expect("unknown preset 'nope'", "presets: seed-baseline"),
                // ---- train --keras
                train("--keras: missing file", "--keras", TMP + "/absent.h5").expect("absent.h5: no such file", "model.save('model.h5')"),
                train("--keras: a Keras 3 .keras zip", "--keras", TMP + "/model.keras")
                        .given(tmp -> {
                            try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(tmp.resolve("model.keras")))) {
                                z.putNextEntry(new java.util.zip.ZipEntry("config.json"));
                                z.write("{}".getBytes(StandardCharsets.UTF_8));
                            }
                        })
                        .expect("is a zip archive (the Keras 3 '.keras' format)", "DL4J 1.0.0-M2.1 imports Keras 1 and Keras 2 HDF5 files (.h5) only",
                                "model.save('model.h5')"),
                train("--keras: an HDF5 file saved by Keras 3", "--keras", TMP + "/k3.h5")
                        .given(tmp -> org.explosionlab.network.KerasH5Writer.write(
                                org.explosionlab.network.NetworkFactory.build(org.explosionlab.spec.Presets.load("seed-baseline")), tmp.resolve("k3.h5"),
                                new org.explosionlab.network.KerasH5Writer.Options("3.3.3", "sparse_categorical_crossentropy", true)))
                        .expect("was saved by Keras 3.3.3", "imports Keras 1 and Keras 2 HDF5 files (.h5) only", "tf_keras"),
                train("--keras: a model with 5 outputs", "--keras", TMP + "/five.h5")
                        .given(tmp -> {
                            var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                                    .updater(new org.nd4j.linalg.learning.config.Adam(1e-3)).list()
                                    .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(784).nOut(32)
                                            .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                                    .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(32).nOut(5)
                                            .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build()).build());
                            net.init();
                            org.explosionlab.network.KerasH5Writer.write(net, tmp.resolve("five.h5"), org.explosionlab.network.KerasH5Writer.Options.tutorial());
                        })
                        .expect("five.h5: the model has 5 outputs, but explosion-lab's datasets have 10 classes", "Dense(10, activation='softmax')"),
                train("--keras: not an HDF5 file", "--keras", TMP + "/notes.h5").given(tmp -> Files.writeString(tmp.resolve("notes.h5"), "hello"))
                        .expect("notes.h5 is not an HDF5 file"),
                row("--keras with --resume", "train", "--keras", TMP + "/m.h5", "--resume", TMP).expect("--resume continues a run as it was started; drop --keras"),
                // ---- spec JSON
                train("spec: not JSON", "--spec", TMP + "/spec.json").given(tmp -> json(tmp, "not json {"))
                        .expect("spec.json: not valid JSON", "line 1, column"),
                train("spec: a JSON array, not an object", "--spec", TMP + "/spec.json").given(tmp -> json(tmp, "[784, 10]"))
                        .expect("a spec must be a JSON object of fields"),
                train("spec: string for a number", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"learningRate\": \"fast\"}"))
                        .expect("field 'learningRate' must be a number, got \"fast\""),
                train("spec: number for a list", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"layerSizes\": 784}"))
                        .expect("field 'layerSizes' must be a list, got 784"),
                train("spec: missing required fields", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"name\": \"x\", \"layerSizes\": [784, 10]}"))
                        .expect("missing required fields activations, lossFunction", "add \"extends\": \"seed-baseline\""),
                train("spec: unknown field", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"learningRat\": 0.1}"))
                        .expect("unknown field 'learningRat'", "known fields: ", "learningRate"),
                train("spec: first layer not 784", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"layerSizes\": [100, 64, 10], \"activations\": [\"RELU\", \"SOFTMAX\"]}"))
                        .expect("layerSizes[0] must be 784", "got 100"),
                train("spec: last layer not 10", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"layerSizes\": [784, 64, 9], \"activations\": [\"RELU\", \"SOFTMAX\"]}"))
                        .expect("layerSizes[2] must be 10", "got 9"),
                train("spec: empty layer list", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"layerSizes\": []}"))
                        .expect("layerSizes must be at least an input and an output size, got []"),
                train("spec: giant layer", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"layerSizes\": [784, 100000, 10]}"))
                        .expect("layerSizes[1] must be between 1 and 65536, got 100000"),
                train("spec: DISTRIBUTION without a distribution", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"weightInit\": \"DISTRIBUTION\"}"))
                        .expect("weightInitDistribution must be set when weightInit is DISTRIBUTION", "{\"type\":\"normal\""),
                train("spec: a distribution with XAVIER", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"weightInit\": \"XAVIER\","
                                + " \"weightInitDistribution\": {\"type\": \"normal\", \"mean\": 0, \"std\": 1}}"))
                        .expect("weightInitDistribution must be null unless weightInit is DISTRIBUTION (weightInit is XAVIER)"),
                train("spec: MCXENT without a SOFTMAX output", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"activations\": [\"RELU\", \"RELU\", \"SIGMOID\"]}"))
                        .expect("activations[2] must be SOFTMAX with lossFunction MCXENT", "got SIGMOID"),
                train("spec: extends an unknown preset", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"nope\"}"))
                        .expect("spec.json: \"extends\": unknown preset 'nope'", "presets: seed-baseline"),
                train("spec: a missing number inside an object", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"weightInit\": \"DISTRIBUTION\","
                                + " \"weightInitDistribution\": {\"type\": \"normal\", \"mean\": 0}}"))
                        .expect("field 'weightInitDistribution.std' must be a number, but it is missing"),
                train("spec: an object without its \"type\"", "--set", "lrSchedule={\"gamma\": 0.5}")
                        .expect("field 'lrSchedule' needs a \"type\"; valid types: fixed, exponential, step"),
                train("spec: a directory, not a file", "--spec", TMP).expect("is a directory; give a spec JSON file or use --preset NAME"),
                train("spec: file missing", "--spec", TMP + "/absent.json")
                        .expect("absent.json: no such spec file", "give an existing JSON file or use --preset NAME"),
                // ---- hostile spec files (issue: run directories nobody can corrupt)
                train("spec: larger than 1 MB", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"description\": \"" + "x".repeat(2 << 20) + "\"}"))
                        .expect("spec.json: larger than 1 MB, too large for a spec file", "check that you gave the right file"),
                train("spec: /dev/zero", "--spec", "/dev/zero").expect("/dev/zero: larger than 1 MB, too large for a spec file"),
                train("spec: a string beyond Jackson's limit", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"description\": \"" + "x".repeat(100_000) + "\"}"))
                        .expect("spec.json: too large for a spec (String value length", "exceeds the maximum allowed (65536)"),
                train("spec: 5,000-deep nesting", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"description\": " + "[".repeat(5000) + "]".repeat(5000) + "}"))
                        .expect("spec.json: too large for a spec (Document nesting depth (33) exceeds the maximum allowed (32)"),
                train("spec: a 2,000-digit number", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"learningRate\": " + "1".repeat(2000) + "}"))
                        .expect("spec.json: too large for a spec (Number value length (2000) exceeds the maximum allowed (64)"),
                train("spec: a duplicate key", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\",\n \"learningRate\": 0.1,\n \"learningRate\": 0.2}"))
                        .expect("spec.json: field 'learningRate' appears twice at line 3", "give each field once"),
                train("spec: not UTF-8", "--spec", TMP + "/spec.json")
                        .given(tmp -> Files.write(tmp.resolve("spec.json"),
                                "{\"extends\": \"seed-baseline\", \"description\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1)))
                        .expect("spec.json: not UTF-8 text (byte 48 is not valid UTF-8); save the spec as UTF-8"),
                train("a learning rate beyond float32", "--set", "learningRate=1e39")
                        .expect("learningRate must be within float32's range, the network's data type (|x| <= 3.4028235E38), got 1.0E39"),
                train("a threshold that float32 rounds to 0", "--set", "clipping=global_l2", "--set", "clipThreshold=1e-50")
                        .expect("clipThreshold must be 0 or at least 1.4E-45 in size"),
                train("a network too large for this machine", "--set", "layerSizes=784,65536,65536,10")
                        .expect("spec 'seed-baseline' needs at least 144.8 GiB of memory (4,347,133,962 parameters", "use smaller layerSizes"),
                // ---- data
                train("data: missing directory", "--data", TMP + "/nodata")
                        .expect("nodata' is neither a known name (mnist-embedded, mnist, fashion-mnist)", "does not exist"),
                train("data: directory missing a file", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("t10k-labels-idx1-ubyte", new byte[0]), true))
                        .expect("lacks t10k-labels-idx1-ubyte (or .gz)", "it needs train-images-idx3-ubyte"),
                train("data: truncated IDX", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("train-images-idx3-ubyte",
                                Arrays.copyOf(images(2051, 20, 28, 28), 16 + 20 * 784 - 100)), false))
                        .expect("train-images-idx3-ubyte is truncated", "15696 bytes) but it has 15596 bytes", "download or regenerate it"),
                train("data: wrong magic", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("train-images-idx3-ubyte", images(1234, 20, 28, 28)), false))
                        .expect("train-images-idx3-ubyte has magic number 1234, expected 2051"),
                train("data: image/label count mismatch", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("train-labels-idx1-ubyte", labels(19)), false))
                        .expect("20 images in train-images-idx3-ubyte but 19 labels in train-labels-idx1-ubyte"),
                train("data: wrong image size", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("train-images-idx3-ubyte", images(2051, 20, 32, 32)), false))
                        .expect("holds 32x32 images, expected 28x28"),
                train("data: corrupted gzip", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("train-images-idx3-ubyte",
                                halfOf(gzip(images(2051, 20, 28, 28)))), true))
                        .expect("train-images-idx3-ubyte.gz is a truncated or corrupted gzip file", "download or regenerate it"),
                train("data: .gz that is not gzip", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("train-images-idx3-ubyte",
                                "not gzip at all".getBytes(StandardCharsets.US_ASCII)), true))
                        .expect("train-images-idx3-ubyte.gz is a truncated or corrupted gzip file (Not in GZIP format)"),
                train("data: an IDX header announcing 2.7 M images", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("train-images-idx3-ubyte",
                                gzip(Arrays.copyOf(images(2051, 1, 28, 28), 16 + 784), 2_700_000)), true))
                        .expect("train-images-idx3-ubyte.gz holds 2700000 images: loading them needs", "use a smaller set, or raise -Xmx"),
                train("data: a gzip bomb", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("train-images-idx3-ubyte",
                                gzip(Arrays.copyOf(images(2051, 20, 28, 28), 100 << 20), 20)), true))
                        .expect("train-images-idx3-ubyte.gz holds more data than the 15696 bytes its IDX header announces",
                                "stopped inflating it"),
                train("data: fashion-mnist not installed", "--data", "fashion-mnist")
                        .onlyIf(tmp -> Files.exists(Path.of(DatasetResolver.FASHION_MNIST_DEFAULT_DIR))
                                ? "Fashion-MNIST is installed in " + DatasetResolver.FASHION_MNIST_DEFAULT_DIR : null)
                        .expect("Fashion-MNIST not found", "apt-get install dataset-fashion-mnist"),
                train("data: full mnist while offline", "--data", "mnist")
                        .onlyIf(tmp -> fullMnistReachable())
                        .skipAfter(OFFLINE_LIMIT)
                        .expect("Could not download full MNIST", "use --data mnist-embedded"),
                // ---- output
                train("--out is an existing file", "--out", TMP + "/file").given(tmp -> Files.writeString(tmp.resolve("file"), "x"))
                        .expect("is a file, not a directory; choose another --out"),
                train("--out holds a run, no --overwrite", "--out", TMP + "/run")
                        .given(tmp -> {
                            Path run = Files.createDirectories(tmp.resolve("run"));
                            Files.writeString(run.resolve("summary.json"), "{}");
                            Files.writeString(run.resolve(".explosion-lab.lock"), "");      // what makes it explosion-lab's
                        })
                        .expect("already holds a run; choose another --out or add --overwrite"),
                train("--out on a directory of the user's own files", "--out", TMP + "/mine")
                        .given(tmp -> Files.writeString(Files.createDirectories(tmp.resolve("mine")).resolve("notes.txt"), "mine"))
                        .expect("holds files explosion-lab did not write (it has no .explosion-lab.lock)",
                                "not even with --overwrite; give --out a new or empty directory"),
                train("--out on a sweep, no --overwrite", "--out", TMP + "/sweep")
                        .given(tmp -> {
                            Path sweep = Files.createDirectories(tmp.resolve("sweep"));
                            Files.writeString(sweep.resolve("sweep.json"), "{}");
                            Files.writeString(sweep.resolve(".explosion-lab.lock"), "");
                        })
                        .expect("is a sweep directory (it holds sweep.json); train writes a run directory of its own: choose another --out"),
                row("sweep --out on a train run, no --overwrite", "sweep", "--presets", "seed-baseline", "--epochs", "1",
                        "--max-batches", "1", "--out", TMP + "/run")
                        .given(tmp -> {
                            Path run = Files.createDirectories(tmp.resolve("run"));
                            Files.writeString(run.resolve("summary.json"), "{}");
                            Files.writeString(run.resolve(".explosion-lab.lock"), "");
                        })
                        .expect("holds a train run (summary.json), not a sweep", "choose another --out"),
                train("--out inside an unwritable directory", "--out", TMP + "/locked/run")
                        .given(tmp -> Files.createDirectory(tmp.resolve("locked"), PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("r-xr-xr-x"))))
                        .onlyIf(tmp -> Files.isWritable(tmp.resolve("locked")) ? "running as root: a mode-555 directory is writable" : null)
                        .expect("locked is not writable; choose another --out"),
                train("--out below a file", "--out", TMP + "/file/run").given(tmp -> Files.writeString(tmp.resolve("file"), "x"))
                        .expect("file is not a directory; choose another --out"),
                train("--overwrite on a directory explosion-lab never wrote", "--out", TMP + "/project", "--overwrite")
                        .given(tmp -> {
                            Path project = Files.createDirectories(tmp.resolve("project"));
                            for (String f : List.of("spec.json", "summary.json", "model.zip", "report.html", "loss.png")) {
                                Files.writeString(project.resolve(f), "the project's own " + f);
                            }
                        })
                        .expect("holds files explosion-lab did not write (it has no .explosion-lab.lock)", "give --out a new or empty directory"),
                train("non-numeric --console-every", "--console-every", "often").expect("--console-every needs a whole number, got 'often'"),
                train("--out empty", "--out", "").expect("--out is empty", "e.g. --out runs/try1"),
                train("negative --max-batches", "--max-batches", "-1").expect("--max-batches must be >= 0, got -1"),
                // ---- environment (the property stands in for OMP_NUM_THREADS, which a running JVM cannot change)
                train("thread count not a number")
                        .given(tmp -> System.setProperty(RuntimeTuning.THREADS_PROPERTY, "two"))
                        .expect("must be a whole number (For input string: \"two\"); unset it or set e.g. OMP_NUM_THREADS=1"),
                // ---- demo
                row("demo: --epochs 0", "demo", "--epochs", "0", "--max-batches", "1", "--out", TMP + "/demo")
                        .expect("--epochs must be >= 1, got 0"),
                row("demo: negative --max-batches", "demo", "--max-batches", "-1", "--out", TMP + "/demo")
                        .expect("--max-batches must be >= 0, got -1"),
                row("demo: --out is an existing file", "demo", "--epochs", "1", "--max-batches", "1", "--out", TMP + "/file")
                        .given(tmp -> Files.writeString(tmp.resolve("file"), "x"))
                        .expect("is a file, not a directory; choose another --out"),
                // ---- issue 28: one set of limits on every entry
                train("lrSchedule map value beyond float32", "--set", "lrSchedule={\"type\": \"map\", \"values\": {\"0\": 0.1, \"5\": 1e39}}")
                        .expect("lrSchedule.values[5] must be within float32's range, the network's data type (|x| <= 3.4028235E38), got 1.0E39"),
                train("lrSchedule map value float32 rounds to 0", "--set", "lrSchedule={\"type\": \"map\", \"values\": {\"0\": 0.1, \"5\": 1e-50}}")
                        .expect("lrSchedule.values[5] must be 0 or at least 1.4E-45 in size"),
                row("sweep --resume: a point too large for this machine", "sweep", "--resume", TMP + "/sweep")
                        .given(tmp -> sweepJson(tmp, "{\"label\": \"big\", \"spec\": {\"extends\": \"seed-baseline\", \"name\": \"big\","
                                + " \"layerSizes\": [784, 65536, 65536, 10]}}"))
                        .expect("spec 'big' needs at least 144.8 GiB of memory (4,347,133,962 parameters", "use smaller layerSizes"),
                row("sweep --resume: more points than --max-points", "sweep", "--resume", TMP + "/sweep", "--max-points", "2")
                        .given(tmp -> sweepJson(tmp, point("a"), point("b"), point("c")))
                        .expect("sweep.json plans 3 points, more than --max-points 2; if that many were meant, raise --max-points"),
                row("sweep --resume: two points in one directory", "sweep", "--resume", TMP + "/sweep")
                        .given(tmp -> sweepJson(tmp, point("a"), point("a")))
                        .expect("sweep.json: two points share the directory 'a' (an edited or damaged plan); give each point its own name, or start a new sweep"),
                row("report: metrics.jsonl not UTF-8", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
                            byte[] bad = (String.join("\n", lines.subList(0, 1)) + "\n" + lines.get(1).replaceFirst("\\{", "{\"x\":\"caf\u00e9\",")
                                    + "\n" + String.join("\n", lines.subList(2, lines.size())) + "\n").getBytes(StandardCharsets.ISO_8859_1);
                            Files.write(run.resolve("metrics.jsonl"), bad);
                        })
                        .expect("metrics.jsonl line 2 is not UTF-8 text (byte 10 of the line, 0xe9, is not valid UTF-8): the file is damaged;"
                                + " re-run the training"),
                row("report: an unterminated 2 MB line in metrics.jsonl", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            Files.writeString(run.resolve("metrics.jsonl"), "{\"iteration\": " + "1".repeat(2 << 20),
                                    java.nio.file.StandardOpenOption.APPEND);
                        })
                        .expect("metrics.jsonl line ", " is longer than 1 MiB, more than any line explosion-lab writes: the file is damaged"
                                + " or not one of ours; re-run the training"),
                train("data: a labels header announcing 10 M labels", "--data", TMP + "/data")
                        .given(tmp -> idxSet(tmp.resolve("data"), Map.of("train-labels-idx1-ubyte",
                                gzip(Arrays.copyOf(labels(20), 8 + 10_000_000), 10_000_000)), true))
                        .expect("train-labels-idx1-ubyte.gz holds 10000000 labels, more than the 2739137 images this loader keeps in memory"),
                // ---- issue 28, second pass
                row("sweep --resume: a point's spec edited in sweep.json", "sweep", "--resume", TMP + "/sweep")
                        .given(tmp -> {
                            sweepJson(tmp, point("a"), point("b"));
                            Path plan = tmp.resolve("sweep/sweep.json");
                            Files.writeString(plan, Files.readString(plan).replace("\"epochs\" : 1", "\"epochs\" : 2"));
                        })
                        .expect("sweep.json was changed since the sweep wrote it (its plan_sha256 does not match the plan)",
                                "undo the change, or start a new sweep"),
                row("sweep --resume: sweep.json without its plan_sha256", "sweep", "--resume", TMP + "/sweep")
                        .given(tmp -> Files.writeString(Files.createDirectories(tmp.resolve("sweep")).resolve("sweep.json"),
                                "{\"format\": 1, \"command\": \"sweep\", \"max_batches\": 1, \"points\": [" + point("a") + "]}"))
                        .expect("sweep.json has no plan_sha256", "start a new sweep"),
                row("sweep --resume: a foreign summary.json in a finished point", "sweep", "--resume", TMP + "/sweep")
                        .given(tmp -> {
                            sweepJson(tmp, point("a"));
                            Path a = org.explosionlab.report.RunFixtures.exploding(tmp.resolve("sweep/a"));
                            Files.writeString(a.resolve("point-status.txt"), "done\n");
                            Files.writeString(a.resolve("model.zip"), "a model");
                        })
                        .expect("sweep/a/summary.json is the run of another spec than point a of", "this sweep did not write it"),
                row("sweep --resume: negative max_batches in sweep.json", "sweep", "--resume", TMP + "/sweep")
                        .given(tmp -> signedPlan(Files.createDirectories(tmp.resolve("sweep")),
                                "{\"format\": 1, \"command\": \"sweep\", \"max_batches\": -5, \"points\": [" + point("a") + "]}"))
                        .expect("sweep.json: max_batches must be >= 0, got -5"),
                row("sweep --resume: no points in sweep.json", "sweep", "--resume", TMP + "/sweep")
                        .given(tmp -> sweepJson(tmp))
                        .expect("sweep.json plans no points", "start a new sweep"),
                train("train --overwrite --out a sweep directory", "--out", TMP + "/sweep", "--overwrite")
                        .given(tmp -> {
                            sweepJson(tmp, point("a"));
                            Files.writeString(tmp.resolve("sweep/.explosion-lab.lock"), "");
                        })
                        .expect("sweep is a sweep directory (it holds sweep.json); train writes a run directory of its own"),
                train("train --keras --overwrite --out a sweep directory", "--keras", "src/test/resources/keras/seed-baseline.h5",
                        "--out", TMP + "/sweep", "--overwrite")
                        .given(tmp -> {
                            sweepJson(tmp, point("a"));
                            Files.writeString(tmp.resolve("sweep/.explosion-lab.lock"), "");
                        })
                        .expect("sweep is a sweep directory (it holds sweep.json); train writes a run directory of its own"),
                train("train --overwrite --out a sweep's point", "--out", TMP + "/sweep/a", "--overwrite")
                        .given(tmp -> {
                            Path a = Files.createDirectories(tmp.resolve("sweep/a"));
                            Files.writeString(a.resolve(".explosion-lab.lock"), "");
                            Files.writeString(a.resolve("point-status.txt"), "failed: out of memory\n");
                        })
                        .expect("sweep/a is a point of the sweep in", "sweep --resume finishes it"),
                row("sweep --overwrite --out a train run", "sweep", "--presets", "bad-init", "--out", TMP + "/run", "--overwrite",
                        "--max-batches", "1", "--epochs", "1")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            Files.writeString(run.resolve(".explosion-lab.lock"), "");
                        })
                        .expect("run holds a train run (summary.json), not a sweep"),
                row("sweep: --seeds past the largest seed", "sweep", "--presets", "bad-init", "--set", "seed=9223372036854775807",
                        "--seeds", "2", "--out", TMP + "/sweep", "--max-batches", "1", "--epochs", "1")
                        .expect("--seeds 2: point bad-init has seed 9223372036854775807", "passes the largest seed"),
                train("spec: a string for a number", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"seed\": \"42\"}"))
                        .expect("field 'seed' must be an integer, got \"42\""),
                train("spec: a string for true/false", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"skipNonFinite\": \"true\"}"))
                        .expect("field 'skipNonFinite' must be true or false, got \"true\""),
                train("spec: an integer beyond int", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"epochs\": 99999999999}"))
                        .expect("spec.json: field 'epochs' must be an integer between -2147483648 and 2147483647, got 99999999999"),
                train("--set an integer beyond int", "--set", "layerSizes=784,99999999999,10")
                        .expect("--set layerSizes=784,99999999999,10: field 'layerSizes[1]' must be an integer between"),
                train("spec: a named pipe", "--spec", TMP + "/fifo")
                        .given(tmp -> mkfifo(tmp.resolve("fifo")))
                        .expect("fifo: is a named pipe (FIFO), not a spec file"),
                train("data: a directory without IDX files", "--data", TMP + "/empty")
                        .given(tmp -> Files.createDirectories(tmp.resolve("empty")))
                        .expect("empty holds no MNIST-style data set (none of train-images-idx3-ubyte", "mnist-embedded"),
                train("data: a directory where an IDX file belongs", "--data", TMP + "/data")
                        .given(tmp -> {
                            idxSet(tmp.resolve("data"), Map.of("train-images-idx3-ubyte", new byte[0]), false);
                            Files.createDirectories(tmp.resolve("data/train-images-idx3-ubyte"));
                        })
                        .expect("train-images-idx3-ubyte is a directory, not a file; put the IDX file itself there"),
                train("data: a named pipe where an IDX file belongs", "--data", TMP + "/data")
                        .given(tmp -> {
                            idxSet(tmp.resolve("data"), Map.of("train-labels-idx1-ubyte", new byte[0]), false);
                            mkfifo(tmp.resolve("data/train-labels-idx1-ubyte"));
                        })
                        .expect("train-labels-idx1-ubyte is a named pipe (FIFO), not a file"),
                train("data: a plain IDX file and its .gz twin", "--data", TMP + "/data")
                        .given(tmp -> {
                            idxSet(tmp.resolve("data"), Map.of(), false);
                            Files.write(tmp.resolve("data/train-images-idx3-ubyte.gz"), gzip(images(2051, 20, 28, 28)));
                        })
                        .expect("holds both train-images-idx3-ubyte and train-images-idx3-ubyte.gz", "remove or rename one of them"),
                train("data: a 5 GB labels file is refused by its size, unread", "--data", TMP + "/data")
                        .given(tmp -> {
                            idxSet(tmp.resolve("data"), Map.of(), false);
                            try (var f = new java.io.RandomAccessFile(tmp.resolve("data/train-labels-idx1-ubyte").toFile(), "rw")) {
                                f.setLength(5L << 30);                  // sparse: 5 GB of zeros after the 20 labels
                            }
                        })
                        .skipAfter(Duration.ofSeconds(8))
                        .expect("train-labels-idx1-ubyte is corrupted: 5368709092 bytes follow the 20 labels its header announces"),
                row("report: an empty row in metrics.jsonl", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            List<String> lines = new ArrayList<>(Files.readAllLines(run.resolve("metrics.jsonl")));
                            lines.add(1, "{}");
                            Files.write(run.resolve("metrics.jsonl"), lines);
                        })
                        .expect("metrics.jsonl line 2 lacks the field 'iteration' every metrics row has: the file is damaged or was edited;"
                                + " re-run the training"),
                row("report: a duplicated row in metrics.jsonl", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            List<String> lines = new ArrayList<>(Files.readAllLines(run.resolve("metrics.jsonl")));
                            lines.add(3, lines.get(2));
                            Files.write(run.resolve("metrics.jsonl"), lines);
                        })
                        .expect("metrics.jsonl line 4 records iteration 2 after iteration 2 (a duplicated or reordered row)"),
                // issue 28, third pass, D8: only a last line cut off before its newline is a killed writer's
                row("report: metrics.jsonl is one complete garbage line", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            Files.writeString(run.resolve("metrics.jsonl"), "garbage\n");
                        })
                        .expect("metrics.jsonl line 1 is not a metrics row (not a JSON object); only the last line of a killed run,"
                                + " cut off before its newline, may be incomplete: the file is damaged or was edited; re-run the training"),
                row("report: metrics.jsonl rows plus a complete garbage last line", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            Files.writeString(run.resolve("metrics.jsonl"), "garbage\n", java.nio.file.StandardOpenOption.APPEND);
                        })
                        .expect("metrics.jsonl line 11 is not a metrics row (not a JSON object)"),
                row("report: metrics.jsonl lost rows summary.json counts", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            var json = new com.fasterxml.jackson.databind.ObjectMapper();
                            var summary = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(run.resolve("summary.json").toFile());
                            ((com.fasterxml.jackson.databind.node.ObjectNode) summary.get("verdict")).put("samples", 10);
                            Files.writeString(run.resolve("summary.json"), json.writeValueAsString(summary));
                            List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
                            Files.write(run.resolve("metrics.jsonl"), lines.subList(0, 5));
                        })
                        .expect("metrics.jsonl holds 5 rows, but summary.json says the run recorded 10: rows were lost or added;"
                                + " the file is damaged or was edited; re-run the training"),
                // issue 28, third pass, D11: no parser internals ("[Source: REDACTED ...]") in the line
                row("report: summary.json cut off", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            Files.writeString(run.resolve("summary.json"), "{\"spec\": {");
                        })
                        .expect("summary.json does not follow the summary.json format (Unexpected end-of-input: expected close marker"
                                + " for Object) — it is written atomically"),
                // ---- issue 28, fourth pass, finding 8: a directory or a FIFO where a file is read is named for what it is
                row("train --resume: checkpoint.zip is a directory", "train", "--resume", TMP + "/run")
                        .given(tmp -> resumableRun(tmp, true))
                        .expect("/run/checkpoint.zip is a directory, not a checkpoint file (a zip explosion-lab writes); it cannot"
                                + " be resumed: remove it and start a new run"),
                row("train --resume: checkpoint.zip is a FIFO", "train", "--resume", TMP + "/run")
                        .given(tmp -> resumableRun(tmp, false))
                        .expect("/run/checkpoint.zip is a named pipe (FIFO), not a checkpoint file (a zip explosion-lab writes); it"
                                + " cannot be resumed: remove it and start a new run"),
                train("--keras names a directory", "--keras", TMP + "/model.h5")
                        .given(tmp -> Files.createDirectories(tmp.resolve("model.h5")))
                        .expect("/model.h5 is a directory, not a Keras model file; give a Keras HDF5 model saved"
                                + " with model.save('model.h5')"),
                train("--keras names a FIFO", "--keras", TMP + "/model.h5")
                        .given(tmp -> mkfifo(tmp.resolve("model.h5")))
                        .expect("/model.h5 is a named pipe (FIFO), not a Keras model file; give a Keras HDF5 model saved"
                                + " with model.save('model.h5')"),
                row("report: summary.json is a directory", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            Files.delete(run.resolve("summary.json"));
                            Files.createDirectories(run.resolve("summary.json"));
                        })
                        .expect("/run/summary.json is a directory, not a summary.json file (the JSON the train command writes);"
                                + " give a run directory as train wrote it, or re-run the training"),
                row("report: summary.json is a FIFO", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = org.explosionlab.report.RunFixtures.healthy(tmp.resolve("run"), 1);
                            Files.delete(run.resolve("summary.json"));
                            mkfifo(run.resolve("summary.json"));
                        })
                        .expect("/run/summary.json is a named pipe (FIFO), not a summary.json file (the JSON the train command writes);"
                                + " give a run directory as train wrote it, or re-run the training"),
                // ---- issue 28, fourth pass, finding 9: nothing after the spec's JSON object
                train("text after the spec's JSON object", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\"} xyz"))
                        .expect("spec.json: not valid JSON (Unrecognized token 'xyz'"),
                train("a second JSON value after the spec's", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\"} {}"))
                        .expect("spec.json: text after the spec's JSON object at line 1, column 30; a spec file holds one JSON object and nothing after it"),
                // ---- sweep on Spark (issue 28, finding 17: at once, not after Spark's minute of retries)
                row("sweep: unreachable Spark master", "sweep", "--presets", "seed-baseline,bad-init", "--max-batches", "1",
                        "--spark-master", "spark://127.0.0.1:1", "--out", TMP + "/sweep")
                        .expect("--spark-master spark://127.0.0.1:1: no Spark master answers at 127.0.0.1:1 (Connection refused);"
                                + " start the master (sbin/start-master.sh) or correct the URL"));
    }

    /** A sweep directory {@code tmp/sweep} whose sweep.json plans {@code points} (JSON objects). */
    private static void sweepJson(Path tmp, String... points) throws IOException {
        signedPlan(Files.createDirectories(tmp.resolve("sweep")),
                "{\"format\": 1, \"command\": \"sweep\", \"max_batches\": 1, \"points\": [" + String.join(", ", points) + "]}");
    }

    /** Writes {@code plan} as {@code dir/sweep.json} with the plan_sha256 a sweep records (SHA-256 of the rest, compact). */
    static void signedPlan(Path dir, String plan) throws IOException {
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(plan);
        root.put("plan_sha256", org.explosionlab.sweep.SweepManifest.digest(root));
        Files.writeString(dir.resolve("sweep.json"), root.toPrettyString());
    }

    private static String point(String name) {
        return "{\"label\": \"" + name + "\", \"spec\": {\"extends\": \"seed-baseline\", \"name\": \"" + name + "\", \"epochs\": 1}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void oneStderrLineExitCodeTwoAndNothingOnDisk(Row row, @TempDir Path tmp) throws Exception {
        row.fixture().create(tmp);
        try {
            String unmet = row.precondition().unmetReason(tmp);
            Assumptions.assumeTrue(unmet == null, unmet);
            Map<String, String> before = snapshot(tmp);
            String[] args = row.resolve(tmp);

            Outcome o = run(args, row.limit());

            String context = String.join(" ", args) + "\nstderr:\n" + o.err() + "stdout:\n" + o.out();
            assertEquals(ExplosionLab.EXIT_BAD_INPUT, o.exit(), context);
            assertEquals(1, o.err().lines().count(), "exactly one stderr line: " + context);
            assertTrue(o.err().startsWith(ExplosionLab.PREFIX), context);
            for (String fragment : row.expected()) {
                assertTrue(o.err().contains(fragment), "expected \"" + fragment + "\" in: " + context);
            }
            assertFalse(o.err().contains("Usage:") || o.err().contains("\tat ") || o.err().contains("Exception in thread"), context);
            assertEquals("", o.out(), "nothing on stdout: " + context);
            assertEquals(before, snapshot(tmp), "files created or changed: " + context);
            record(row, args, tmp, o.err());
            int out = row.args().indexOf("--out");
            if (out >= 0 && !row.args().get(out + 1).isEmpty() && !before.containsKey(relative(tmp, Path.of(args[out + 1])))) {
                assertFalse(Files.exists(Path.of(args[out + 1])), "--out was created: " + context);
            }
        } finally {
            System.clearProperty(RuntimeTuning.THREADS_PROPERTY);
            makeWritable(tmp);
        }
    }

    /** With {@code -Dbadinput.table=FILE}, appends the row and its actual message as a Markdown table row. */
    private static void record(Row row, String[] args, Path tmp, String err) throws IOException {
        String table = System.getProperty("badinput.table");
        if (table == null) return;
        String shown = String.join(" ", args).replace(tmp.toString(), "$TMP");
        Files.writeString(Path.of(table), "| " + row.name() + " | `" + shown + "` | " + err.strip().replace(tmp.toString(), "$TMP").replace("|", "\\|") + " |\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** What one in-process run printed, with picocli's streams and System.out/err together. */
    record Outcome(int exit, String out, String err) {
    }

    /** Runs the CLI in this JVM on another thread; gives up after {@code limit} (a skip for the offline row). */
    private static Outcome run(String[] args, Duration limit) throws Exception {
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
        ByteArrayOutputStream sysErr = new ByteArrayOutputStream();
        StringWriter cliOut = new StringWriter();
        StringWriter cliErr = new StringWriter();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "explosion-lab-under-test");
            t.setDaemon(true);
            return t;
        });
        System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
        try {
            Future<Integer> exit = pool.submit(() -> ExplosionLab.execute(new PrintWriter(cliOut, true), new PrintWriter(cliErr, true), args));
            int code;
            try {
                code = exit.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                exit.cancel(true);
                if (limit.equals(OFFLINE_LIMIT)) {
                    Assumptions.abort("the offline failure took longer than " + limit.toSeconds() + " s here");
                }
                throw new AssertionError("no answer within " + limit.toSeconds() + " s: " + String.join(" ", args));
            }
            return new Outcome(code, cliOut + sysOut.toString(StandardCharsets.UTF_8),
                    cliErr + sysErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            pool.shutdownNow();
        }
    }

    /** A skip reason when full MNIST could really be used here (cached, or its server resolves). */
    private static String fullMnistReachable() {
        FullMnistDownload download = FullMnistDownload.dl4jDefaults();
        if (Files.exists(download.cacheDir().resolve("train-images-idx3-ubyte"))) {
            return "full MNIST is already in " + download.cacheDir();
        }
        String host = URI.create(download.rootUrl()).getHost();
        try {
            InetAddress.getByName(host);
            return "online: " + host + " resolves, so full MNIST would download";
        } catch (UnknownHostException offline) {
            return null;
        }
    }

    /** Every file and directory below {@code root}, with size and modification time for files. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                all.put(relative(root, p), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + " bytes, " + Files.getLastModifiedTime(p));
            }
        }
        return all;
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p.toAbsolutePath()).toString();
    }

    private static void makeWritable(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(p)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    // ---- fixtures, written with plain java.io after the IDX layout of LeCun et al. (big-endian header, then bytes)

    private static void mkfifo(Path p) throws IOException {
        try {
            if (new ProcessBuilder("mkfifo", p.toString()).start().waitFor() != 0) throw new IOException("mkfifo " + p + " failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void json(Path tmp, String text) throws IOException {
        Files.writeString(tmp.resolve("spec.json"), text);
    }

    /**
     * A valid 20-train / 10-test IDX set in {@code dir}, with {@code replaced} files swapped in (an empty
     * array leaves that file out); {@code gzipped} writes every file as {@code .gz} (a replaced file as given).
     */
    private static void idxSet(Path dir, Map<String, byte[]> replaced, boolean gzipped) throws IOException {
        Files.createDirectories(dir);
        Map<String, byte[]> files = new TreeMap<>(Map.of(
                "train-images-idx3-ubyte", images(2051, 20, 28, 28), "train-labels-idx1-ubyte", labels(20),
                "t10k-images-idx3-ubyte", images(2051, 10, 28, 28), "t10k-labels-idx1-ubyte", labels(10)));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] swap = replaced.get(f.getKey());
            if (swap != null && swap.length == 0) continue;
            byte[] bytes = swap != null ? swap : gzipped ? gzip(f.getValue()) : f.getValue();
            Files.write(dir.resolve(gzipped ? f.getKey() + ".gz" : f.getKey()), bytes);
        }
    }

    /** IDX images: magic, count, rows, cols, then count·rows·cols pixel bytes. */
    private static byte[] images(int magic, int count, int rows, int cols) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < count * rows * cols; i++) out.writeByte(i % 251);
        }
        return bytes.toByteArray();
    }

    /** IDX labels: magic 2049, count, then labels i mod 10. */
    private static byte[] labels(int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(2049);
            out.writeInt(count);
            for (int i = 0; i < count; i++) out.writeByte(i % 10);
        }
        return bytes.toByteArray();
    }

    private static byte[] halfOf(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    /** {@code raw} with its IDX count field (bytes 4-7) set to {@code count}, gzipped. */
    private static byte[] gzip(byte[] raw, int count) throws IOException {
        java.nio.ByteBuffer.wrap(raw).putInt(4, count);
        return gzip(raw);
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    // ---- issue 28, path safety: one rule for every directory and file name explosion-lab writes

    private static final String NAME_RULE = "name must be 1–80 letters, digits, '.', '-' or '_', starting with a letter or digit";

    /** A project directory beside the sweep's --out, with the user's own files a point named ".." would replace. */
    private static void project(Path tmp) throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));
        for (String f : List.of("report.html", "summary.json", "model.zip")) Files.writeString(project.resolve(f), "the user's " + f);
    }

    /** A run directory whose lock file is a symbolic link to the user's file {@code victim.txt}. */
    private static void linkedLock(Path tmp, String run) throws IOException {
        Files.writeString(tmp.resolve("victim.txt"), "the user's file, which a PID must not overwrite");
        Path dir = Files.createDirectories(tmp.resolve(run));
        Files.writeString(dir.resolve("metrics.jsonl"), "{}\n");
        Files.writeString(dir.resolve("summary.json"), "{}");
        Files.createSymbolicLink(dir.resolve(".explosion-lab.lock"), tmp.resolve("victim.txt"));
    }

    static Stream<Row> pathSafetyRows() {
        return Stream.of(
                row("sweep point named ..", "sweep", "--presets", "bad-init", "--set", "name=..", "--out", TMP + "/project/sweeps",
                        "--max-batches", "1", "--epochs", "1").given(BadInputTest::project).expect(NAME_RULE, "got \"..\""),
                row("sweep point named .", "sweep", "--presets", "bad-init", "--set", "name=.", "--out", TMP + "/project/sweeps",
                        "--max-batches", "1", "--epochs", "1").given(BadInputTest::project).expect(NAME_RULE, "got \".\""),
                row("sweep point named like the lock", "sweep", "--presets", "bad-init", "--set", "name=.explosion-lab.lock",
                        "--out", TMP + "/sweeps", "--max-batches", "1", "--epochs", "1").expect(NAME_RULE),
                train("run named ..", "--set", "name=..").expect(NAME_RULE, "got \"..\""),
                row("sweep --resume with a point named ..", "sweep", "--resume", TMP + "/project/sweeps")
                        .given(tmp -> {
                            project(tmp);
                            Path sweeps = Files.createDirectories(tmp.resolve("project/sweeps"));
                            signedPlan(sweeps, "{\"format\": 1, \"command\": \"sweep\", \"max_batches\": 1,"
                                    + " \"points\": [{\"label\": \"..\", \"spec\": {\"extends\": \"bad-init\", \"name\": \"..\", \"epochs\": 1}}]}");
                            Files.writeString(sweeps.resolve(".explosion-lab.lock"), "");
                        })
                        .expect(NAME_RULE, "got \"..\""),
                row("report: run directory's lock links to another file", "report", TMP + "/run")
                        .given(tmp -> linkedLock(tmp, "run"))
                        .expect(".explosion-lab.lock is a symbolic link to", "never writes its lock through a link", "delete the link"),
                train("--overwrite: the lock links to another file", "--out", TMP + "/run", "--overwrite")
                        .given(tmp -> linkedLock(tmp, "run"))
                        .expect(".explosion-lab.lock is a symbolic link to", "delete the link"),
                row("train --resume: the lock links to another file", "train", "--resume", TMP + "/run")
                        .given(tmp -> linkedLock(tmp, "run"))
                        .expect(".explosion-lab.lock is a symbolic link to", "delete the link"),
                row("sweep --overwrite: a point's lock links to another file", "sweep", "--presets", "bad-init", "--out", TMP + "/sw",
                        "--overwrite", "--max-batches", "1", "--epochs", "1")
                        .given(tmp -> {
                            linkedLock(tmp, "sw/bad-init");
                            Files.writeString(tmp.resolve("sw/.explosion-lab.lock"), "");
                        })
                        .expect("bad-init/.explosion-lab.lock is a symbolic link to", "delete the link"),
                row("sweep --overwrite: a point directory links outside the sweep", "sweep", "--presets", "bad-init", "--out", TMP + "/sw",
                        "--overwrite", "--max-batches", "1", "--epochs", "1")
                        .given(tmp -> {
                            Files.createDirectories(tmp.resolve("elsewhere"));
                            Files.writeString(tmp.resolve("elsewhere/summary.json"), "the user's file");
                            Files.createDirectories(tmp.resolve("sw"));
                            Files.writeString(tmp.resolve("sw/.explosion-lab.lock"), "");
                            Files.createSymbolicLink(tmp.resolve("sw/bad-init"), tmp.resolve("elsewhere"));
                        })
                        .expect("sw/bad-init is a symbolic link", "writes only into real sub-directories of", "replace the link"),
                row("report: a sweep's run directory links outside the sweep", "report", TMP + "/sweep")
                        .given(tmp -> {
                            Path outside = Files.createDirectories(tmp.resolve("outside/run1"));
                            Files.writeString(outside.resolve("metrics.jsonl"), "{}\n");
                            Files.writeString(outside.resolve("summary.json"), "{}");
                            Files.createDirectories(tmp.resolve("sweep"));
                            Files.createSymbolicLink(tmp.resolve("sweep/run1"), outside);
                        })
                        .expect("sweep/run1 is a symbolic link", "writes only into real sub-directories of", "replace the link"),
                train("escape codes in a spec file are not echoed raw", "--spec", TMP + "/spec.json")
                        .given(tmp -> json(tmp, "{\"extends\": \"seed-baseline\", \"name\": \"x\\u001b]0;pwned\\u0007\\u001b[2J\"}"))
                        .expect(NAME_RULE, "x\\e]0;pwned\\x07\\e[2J"),
                train("escape codes in a --set value are not echoed raw", "--set", "name=\u001b[31mred")
                        .expect(NAME_RULE, "\\e[31mred"),
                row("report: escape codes in a directory name are not echoed raw", "report", TMP + "/no\u001b[2Jsuch")
                        .expect("no\\e[2Jsuch does not exist"),
                row("sweep point named like a spreadsheet formula", "sweep", "--presets", "bad-init", "--set", "name=-2-3",
                        "--out", TMP + "/sw", "--max-batches", "1", "--epochs", "1").expect(NAME_RULE, "got \"-2-3\""),
                train("run named like a spreadsheet formula", "--set", "name=@SUM(A1)").expect(NAME_RULE),
                row("sweep point named like the sweep's own page", "sweep", "--presets", "bad-init", "--set", "name=sweep.html",
                        "--out", TMP + "/sw", "--max-batches", "1", "--epochs", "1")
                        .expect("run name 'sweep.html' is the name of a file the sweep writes into its directory", "--set name="),
                row("sweep --resume with a point named like the sweep's plan", "sweep", "--resume", TMP + "/sw")
                        .given(tmp -> resumable(tmp, "bad-init", "sweep.json"))
                        .expect("sweep.json: point bad-init: run name 'sweep.json' is the name of a file the sweep writes into its directory",
                                "start the sweep again"),
                row("sweep --resume: escape codes in a point label are not echoed", "sweep", "--resume", TMP + "/sw")
                        .given(tmp -> resumable(tmp, "x\\u001b]0;pwned\\u0007", "bad-init"))
                        .expect("point label \"x\\e]0;pwned\\x07\" holds control characters", "start the sweep again"),
                row("report: escape codes in a summary file are not echoed raw", "report", TMP + "/run")
                        .given(tmp -> {
                            Path run = Files.createDirectories(tmp.resolve("run"));
                            Files.writeString(run.resolve("metrics.jsonl"), "{}\n");
                            Files.writeString(run.resolve("summary.json"), "{\"spec\": \"\\u001b[2J\\u001b]0;pwned\\u0007\"}");
                        })
                        .expect("does not follow the summary.json format", "\\e]0;pwned"),
                // issue 28, fourth pass, finding 11: --overwrite never clears a directory through a link to it
                train("--out is a symbolic link to a run directory, with --overwrite", "--out", TMP + "/link", "--overwrite")
                        .given(tmp -> {
                            linkedRun(tmp);
                        })
                        .expect("--out " , "/link is a symbolic link (to ", "/real); explosion-lab writes a run only into a real"
                                + " directory: give the directory it points to, or another --out"),
                train("--out is a symbolic link to an empty directory", "--out", TMP + "/link")
                        .given(tmp -> Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectories(tmp.resolve("real"))))
                        .expect("/link is a symbolic link (to ", "explosion-lab writes a run only into a real directory"),
                // issue 28, fourth pass, finding 7: '..' out of a directory that does not exist
                train("--out goes up out of a directory that does not exist", "--out", TMP + "/x/../run")
                        .expect("/x/../run goes up with '..' out of ", "/x, which does not exist; give the directory without"
                                + " '..', e.g. --out ", "/run"),
                row("sweep --out goes up out of a directory that does not exist", "sweep", "--presets", "bad-init",
                        "--out", TMP + "/x/..", "--max-batches", "1", "--epochs", "1")
                        .expect("/x/.. goes up with '..' out of ", "/x, which does not exist"));
    }

    /** {@code tmp/link}, a symbolic link to {@code tmp/real}, a finished run directory (its lock and files). */
    private static void linkedRun(Path tmp) throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Files.writeString(real.resolve(".explosion-lab.lock"), "");
        Files.writeString(real.resolve("summary.json"), "{}");
        Files.writeString(real.resolve("metrics.jsonl"), "{}\n");
        Files.createSymbolicLink(tmp.resolve("link"), real);
    }

    /** A run directory {@code tmp/run} with a spec.json, whose checkpoint.zip is a directory or a named pipe. */
    private static void resumableRun(Path tmp, boolean directory) throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("spec.json"), org.explosionlab.spec.SpecJson.write(org.explosionlab.spec.Presets.load("seed-baseline")));
        Files.writeString(run.resolve("metrics.jsonl"), "");
        Files.writeString(run.resolve(".explosion-lab.lock"), "");
        if (directory) Files.createDirectories(run.resolve("checkpoint.zip"));
        else mkfifo(run.resolve("checkpoint.zip"));
    }

    /** A sweep directory with a sweep.json of one point (label, spec name) that sweep --resume reads. */
    private static void resumable(Path tmp, String label, String name) throws IOException {
        Path sw = Files.createDirectories(tmp.resolve("sw"));
        signedPlan(sw, "{\"format\": 1, \"command\": \"sweep\", \"max_batches\": 1, \"points\": [{\"label\": \""
                + label + "\", \"spec\": {\"extends\": \"bad-init\", \"name\": \"" + name + "\", \"epochs\": 1}}]}");
        Files.writeString(sw.resolve(".explosion-lab.lock"), "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathSafetyRows")
    void pathSafetyOneStderrLineExitCodeTwoAndNothingOnDisk(Row row, @TempDir Path tmp) throws Exception {
        oneStderrLineExitCodeTwoAndNothingOnDisk(row, tmp);
    }
}
