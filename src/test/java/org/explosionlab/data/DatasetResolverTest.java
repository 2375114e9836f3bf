package org.explosionlab.data;

import static org.explosionlab.data.IdxReaderTest.assertOneLineContaining;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing a dataset from one string, with the Fashion-MNIST and DL4J cache locations injected. */
class DatasetResolverTest {
    /** Never contacted: port 9 (discard) on loopback; a test that reached it would fail, not hang. */
    private static final String UNUSED_URL = "http://127.0.0.1:9/";

    @TempDir
    Path tmp;

    private DatasetResolver resolver(Path fashionDir, Path cacheDir, String baseUrl) {
        return new DatasetResolver(fashionDir, () -> new FullMnistDownload(cacheDir, baseUrl));
    }

    @Test
    void fashionMnistAbsentSaysHowToInstallIt() {
        DatasetResolver resolver = resolver(tmp.resolve("no-fashion"), tmp.resolve("cache"), UNUSED_URL);
        DataException e = assertThrows(DataException.class, () -> resolver.load("fashion-mnist"));
        assertOneLineContaining(e, "apt-get install dataset-fashion-mnist");
    }

    @Test
    void fashionMnistPresentLoadsWithItsClassNames() throws Exception {
        Path fashion = IdxTestFiles.writeSet(tmp.resolve("fashion"), 11, 5, true);
        MnistLikeDataset data = resolver(fashion, tmp.resolve("cache"), UNUSED_URL).load("fashion-mnist");
        assertEquals("fashion-mnist", data.provenance().name());
        assertEquals(fashion.toString(), data.provenance().location());
        assertEquals(11, data.provenance().trainCount());
        assertEquals("Ankle boot", data.classNames().get(9));
        assertEquals("T-shirt/top", data.train().getLabelNamesList().get(0));
    }

    @Test
    void directoryPathLoadsUnderItsAbsolutePath() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("digits"), 9, 4, false);
        MnistLikeDataset data = resolver(tmp, tmp, UNUSED_URL).load(dir.toString());
        assertEquals(dir.toAbsolutePath().normalize().toString(), data.provenance().name());
        assertEquals(9, data.train().numExamples());
        assertEquals(4, data.test().numExamples());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), data.classNames());
    }

    @Test
    void unknownNameListsTheChoices() {
        DataException e = assertThrows(DataException.class,
                () -> resolver(tmp, tmp, UNUSED_URL).load(tmp.resolve("mnist_embeded").toString()));
        assertOneLineContaining(e, "is neither a known name (mnist-embedded, mnist, fashion-mnist) nor a directory");
    }

    @Test
    void emptyChoice() {
        DataException e = assertThrows(DataException.class, () -> resolver(tmp, tmp, UNUSED_URL).load("  "));
        assertOneLineContaining(e, "No dataset given");
    }

    @Test
    void embeddedIsTheDefaultName() {
        assertEquals("mnist-embedded", DatasetResolver.DEFAULT_DATASET);
        MnistLikeDataset data = resolver(tmp, tmp, UNUSED_URL).load(" MNIST-Embedded ");
        assertEquals("mnist-embedded", data.provenance().name());
        assertEquals(7_996, data.train().numExamples());
    }

    @Test
    void fullMnistOfflineFailsFastWithOneLine() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            DatasetResolver resolver = resolver(tmp, tmp.resolve("cache"), url);
            DataException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(DataException.class, () -> resolver.load("mnist")));
            assertOneLineContaining(e, "Could not download full MNIST train-images-idx3-ubyte.gz from "
                    + url + "datasets/mnist");
            assertOneLineContaining(e, "use --data mnist-embedded, or --data DIR");
            assertEquals(1, requests.get(), "the first failing file ends the attempt");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void fullMnistAlreadyInTheCacheNeedsNoNetwork() throws Exception {
        Path cache = IdxTestFiles.writeSet(tmp.resolve("dl4j-cache"), 20, 10, false);
        MnistLikeDataset data = resolver(tmp, cache, UNUSED_URL).load("mnist");
        assertEquals("mnist", data.provenance().name());
        assertEquals(cache.toString(), data.provenance().location());
        assertEquals(20, data.provenance().trainCount());
        assertEquals(10, data.provenance().testCount());
        assertEquals(List.of(), Files.list(cache).filter(p -> p.toString().endsWith(".gz")).toList());
    }
}
