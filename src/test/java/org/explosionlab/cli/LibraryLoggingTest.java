package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.WorkspaceReader;
import org.eclipse.aether.repository.WorkspaceRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * explosion-lab as a library does not choose its user's logging (issue 23). A user's Maven project that depends on
 * explosion-lab and on logback-classic (as dl4j-examples does) gets DL4J's INFO lines through logback: its
 * {@code ScoreIterationListener} prints "Score at iteration", and SLF4J does not warn about multiple bindings.
 *
 * <p>The user's class path is what Maven gives such a project: Maven's own resolver and model builder (the code
 * inside {@code mvn}) resolve the dependencies {@code explosion-lab} (this checkout's {@code pom.xml} and
 * {@code target/classes}, supplied as Maven's reactor supplies a module) and {@code logback-classic}, runtime scope,
 * from the local repository this build uses (offline when the build is). So {@code optional}, scopes and exclusions in our pom count
 * exactly as they would for a user. A plain program compiled here, outside this project's packages, builds a tiny
 * {@code MultiLayerNetwork} with {@code ScoreIterationListener(1)} and {@code EvaluativeListener}, fits a few
 * iterations in a child JVM on that class path with a {@code logback.xml} of its own, and the test reads its output.
 */
class LibraryLoggingTest {
    private static final String MAIN = "UserProgram";
    private static final int ITERATIONS = 6;     // 3 minibatches x 2 epochs
    private static final String SOURCE = """
            import java.util.List;
            import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
            import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
            import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
            import org.deeplearning4j.nn.conf.layers.DenseLayer;
            import org.deeplearning4j.nn.conf.layers.OutputLayer;
            import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
            import org.deeplearning4j.optimize.api.InvocationType;
            import org.deeplearning4j.optimize.listeners.EvaluativeListener;
            import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
            import org.explosionlab.detection.DetectorConfig;
            import org.explosionlab.monitor.ExplosionMonitor;
            import org.explosionlab.training.RuntimeTuning;
            import org.nd4j.linalg.activations.Activation;
            import org.nd4j.linalg.api.buffer.DataType;
            import org.nd4j.linalg.dataset.DataSet;
            import org.nd4j.linalg.factory.Nd4j;
            import org.nd4j.linalg.learning.config.Sgd;
            import org.nd4j.linalg.lossfunctions.LossFunctions;

            public class UserProgram {
                public static void main(String[] args) {
                    RuntimeTuning.applyDefaults();      // a call into explosion-lab, as a user of the library makes
                    Nd4j.getRandom().setSeed(7);
                    DataSet all = new DataSet(Nd4j.rand(DataType.FLOAT, 30, 4),
                            Nd4j.eye(3).castTo(DataType.FLOAT).repeat(0, 10));
                    List<DataSet> examples = all.asList();
                    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Sgd(0.1))
                            .list()
                            .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                                    .activation(Activation.SOFTMAX).build())
                            .build();
                    MultiLayerNetwork net = new MultiLayerNetwork(conf);
                    net.init();
                    // a ceiling no gradient stays under, so that the monitor has an event to log
                    ExplosionMonitor monitor = ExplosionMonitor.builder()
                            .detector(DetectorConfig.defaults().withAbsoluteCeiling(1e-9)).build();
                    net.setListeners(new ScoreIterationListener(1),
                            new EvaluativeListener(new ListDataSetIterator<>(examples, 10), 1, InvocationType.EPOCH_END), monitor);
                    net.fit(new ListDataSetIterator<>(examples, 10), 2);   // minibatches of 10
                    System.out.println("binding=" + org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName());
                }
            }
            """;
    /** The user's own logging configuration: INFO to the console, each line marked as logback's. */
    private static final String LOGBACK_XML = """
            <configuration>
              <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>LOGBACK %level %logger{0} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="CONSOLE"/></root>
            </configuration>
            """;

    @TempDir
    Path dir;

    @Test
    void aDependingProjectLogsThroughItsOwnBackend() throws Exception {
        Path mainClasses = Paths.get(ConsoleLogging.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path basedir = mainClasses.toAbsolutePath().normalize().getParent().getParent();
        Path pom = basedir.resolve("pom.xml");
        assertTrue(Files.isRegularFile(pom), "the project's pom.xml next to target/: " + pom);
        assertFalse(Files.exists(mainClasses.resolve(ConsoleLogging.SIMPLELOGGER_FILE)),
                "the jar a user depends on holds no " + ConsoleLogging.SIMPLELOGGER_FILE + " at its root");

        List<File> userClasspath = userProjectClasspath(pom, mainClasses);
        List<String> names = userClasspath.stream().map(File::getName).collect(Collectors.toList());
        assertTrue(userClasspath.contains(mainClasses.toFile()), "explosion-lab's classes: " + userClasspath);
        assertTrue(names.stream().anyMatch(n -> n.startsWith("deeplearning4j-nn-")), "DL4J: " + names);
        assertTrue(names.stream().anyMatch(n -> n.startsWith("logback-classic-")), "logback: " + names);
        assertTrue(names.stream().noneMatch(n -> n.startsWith("slf4j-simple")),
                "slf4j-simple must not reach a depending project: " + names);

        String out = runUserProgram(userClasspath);
        assertTrue(out.contains("binding=ch.qos.logback.classic.LoggerContext"), "SLF4J bound to logback:\n" + out);
        assertFalse(out.contains("multiple SLF4J bindings"), out);
        assertFalse(out.lines().anyMatch(l -> l.startsWith("SLF4J:")), "no SLF4J warning of any kind:\n" + out);
        List<String> scores = out.lines().filter(l -> l.startsWith("LOGBACK INFO ScoreIterationListener - Score at iteration "))
                .collect(Collectors.toList());
        assertEquals(ITERATIONS, scores.size(), "one logback line per iteration from ScoreIterationListener:\n" + out);
        for (int i = 0; i < ITERATIONS; i++) {
            assertTrue(scores.get(i).startsWith("LOGBACK INFO ScoreIterationListener - Score at iteration " + i + " is "), scores.get(i));
        }
        assertTrue(out.contains("LOGBACK INFO EvaluativeListener - "), "EvaluativeListener prints too:\n" + out);
        // the monitor's event goes where the user's backend sends WARN, once
        assertEquals(1, out.lines().filter(l -> l.startsWith("LOGBACK WARN ExplosionMonitor - Gradient explosion at iteration 0")).count(),
                "the monitor logs its event through the user's SLF4J backend:\n" + out);
    }

    /**
     * The runtime class path Maven gives a project whose pom declares the dependencies {@code explosion-lab} (this
     * checkout) and {@code logback-classic} (the version our pom tests with): Maven's resolver and model builder,
     * offline, on the local repository of this build; this checkout's pom and {@code target/classes} are found as
     * Maven finds a module of the same reactor.
     */
    private static List<File> userProjectClasspath(Path pom, Path mainClasses) throws Exception {
        Model model;
        try (Reader r = Files.newBufferedReader(pom)) {
            model = new MavenXpp3Reader().read(r);
        }
        String logback = model.getDependencies().stream().filter(d -> d.getArtifactId().equals("logback-classic"))
                .map(d -> d.getGroupId() + ":" + d.getArtifactId() + ":" + d.getVersion()).findFirst().orElseThrow();
        String localRepository = System.getProperty("explosionlab.localRepository");
        assertNotNull(localRepository, "surefire passes the build's local repository (pom.xml, systemPropertyVariables)");

        RepositorySystem system = new RepositorySystemSupplier().get();
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        // as Maven: what the local repository holds is used; what it lacks (a user's graph mediates some versions
        // differently, e.g. logback's slf4j-api) is downloaded from Central, unless this build runs offline (mvn -o)
        session.setOffline("offline=true".equals(System.getProperty("explosionlab.offline")));
        Properties systemProperties = new Properties();
        systemProperties.putAll(System.getProperties());
        session.setSystemProperties(systemProperties);
        // the platform a DL4J user sets for nd4j-native-platform (as .mvn/maven.config does here), else every OS's natives
        session.setUserProperties(java.util.Map.of("javacpp.platform", org.bytedeco.javacpp.Loader.getPlatform()));
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(new File(localRepository), "simple")));
        session.setWorkspaceReader(new Checkout(model, pom.toFile(), mainClasses.toFile()));

        CollectRequest collect = new CollectRequest();
        collect.addDependency(new Dependency(new DefaultArtifact(model.getGroupId() + ":" + model.getArtifactId() + ":" + model.getVersion()),
                JavaScopes.COMPILE));
        collect.addDependency(new Dependency(new DefaultArtifact(logback), JavaScopes.COMPILE));
        collect.addRepository(new RemoteRepository.Builder("central", "default", "https://repo.maven.apache.org/maven2/").build());
        List<File> files = new ArrayList<>();
        for (ArtifactResult a : system.resolveDependencies(session,
                new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME))).getArtifactResults()) {
            files.add(a.getArtifact().getFile());
        }
        system.shutdown();
        return files;
    }

    /** This checkout as a module of the user's reactor: its pom.xml and target/classes. */
    private record Checkout(Model model, File pom, File classes) implements WorkspaceReader {
        private static final WorkspaceRepository REPOSITORY = new WorkspaceRepository("checkout");

        @Override
        public WorkspaceRepository getRepository() {
            return REPOSITORY;
        }

        private boolean ours(Artifact a) {
            return a.getGroupId().equals(model.getGroupId()) && a.getArtifactId().equals(model.getArtifactId())
                    && a.getVersion().equals(model.getVersion());
        }

        @Override
        public File findArtifact(Artifact a) {
            if (!ours(a)) return null;
            if (a.getExtension().equals("pom")) return pom;
            return a.getExtension().equals("jar") && a.getClassifier().isEmpty() ? classes : null;
        }

        @Override
        public List<String> findVersions(Artifact a) {
            return ours(a) ? List.of(model.getVersion()) : List.of();
        }
    }

    /** Compiles {@link #SOURCE} against the user's class path and runs it with the user's logback.xml; returns its output. */
    private String runUserProgram(List<File> userClasspath) throws IOException, InterruptedException {
        String classpath = userClasspath.stream().map(File::getPath).collect(Collectors.joining(File.pathSeparator));
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(classes);
        Path file = src.resolve(MAIN + ".java");
        Files.writeString(file, SOURCE);
        Files.writeString(classes.resolve("logback.xml"), LOGBACK_XML);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK is needed to compile the user's program");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int compiled = javac.run(null, null, err, "-cp", classpath, "-d", classes.toString(), file.toString());
        assertEquals(0, compiled, "javac: " + err.toString(StandardCharsets.UTF_8));

        String text = org.explosionlab.testing.ChildJvm.run(classes + File.pathSeparator + classpath, MAIN, List.of());
        return text;
    }
}
