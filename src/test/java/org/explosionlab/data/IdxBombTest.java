package org.explosionlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28 finding 6: the gzip-bomb limit holds through every field of an IDX header, not only the
 * image count: an images header announcing 1000 x 1000 pixels inflates no more than its header, and a
 * labels header announcing 10 million labels is refused before its body is inflated.
 */
class IdxBombTest {
    @TempDir
    Path tmp;

    @Test
    void anImagesHeaderAnnouncingAMegapixelInflatesOnlyItsHeader() throws IOException {
        byte[] raw = new byte[16 + 1000 * 1000];                  // 1 image of 1000 x 1000: 1 MB of zeros, ~1 KB gzipped
        ByteBuffer.wrap(raw).putInt(IdxFormat.IMAGES_MAGIC).putInt(1).putInt(1000).putInt(1000);
        Path gz = gzip("train-images-idx3-ubyte.gz", raw);
        try (IdxSource.RawIdxFile file = IdxSource.ofFile(gz).materialize(IdxFormat.IMAGES_MAGIC, (magic, count) -> { })) {
            assertEquals(IdxFormat.IMAGES_HEADER_BYTES, Files.size(file.path()), "inflated beyond the header");
            DataException e = assertThrows(DataException.class, () -> IdxValidator.checkImages(file.path(), "train-images-idx3-ubyte.gz"));
            assertTrue(e.getMessage().contains("holds 1000x1000 images, expected 28x28"), e.getMessage());
        }
    }

    @Test
    void aLabelsHeaderAnnouncingTenMillionLabelsIsRefusedBeforeInflating() throws IOException {
        byte[] images = new byte[16 + 784];
        ByteBuffer.wrap(images).putInt(IdxFormat.IMAGES_MAGIC).putInt(1).putInt(28).putInt(28);
        byte[] labels = new byte[8 + 10_000_000];                 // 10 MB of zeros, ~10 KB gzipped
        ByteBuffer.wrap(labels).putInt(IdxFormat.LABELS_MAGIC).putInt(10_000_000);
        IdxSource imageSource = IdxSource.ofFile(gzip("train-images-idx3-ubyte.gz", images));
        IdxSource labelSource = IdxSource.ofFile(gzip("train-labels-idx1-ubyte.gz", labels));
        DataException e = assertThrows(DataException.class, () -> IdxSplitReader.read("train", imageSource, labelSource,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")));
        assertTrue(e.getMessage().startsWith("train-labels-idx1-ubyte.gz holds 10000000 labels, more than the 2739137 images"
                + " this loader keeps in memory"), e.getMessage());
    }

    private Path gzip(String name, byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return Files.write(tmp.resolve(name), bytes.toByteArray());
    }
}
