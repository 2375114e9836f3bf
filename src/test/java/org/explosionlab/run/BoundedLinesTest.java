package org.explosionlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 28 findings 11 and 20: the one bounded, strict-UTF-8 line reader. */
class BoundedLinesTest {
    @TempDir
    Path tmp;

    @Test
    void linesCrLfAndAnUnterminatedLastLine() throws IOException {
        Path f = Files.writeString(tmp.resolve("a.jsonl"), "one\r\n\ncaf\u00e9\nlast");
        try (BoundedLines in = BoundedLines.open(f, "fix it")) {
            assertEquals("one", in.next());
            assertEquals("", in.next());
            assertEquals("caf\u00e9", in.next());
            assertEquals("last", in.next());
            assertEquals(4, in.lineNumber());
            assertNull(in.next());
        }
    }

    @Test
    void aLineLongerThanTheCapIsRefusedWithoutReadingIt() throws IOException {
        Path f = Files.writeString(tmp.resolve("m.jsonl"), "{}\n" + "x".repeat(200_000));   // unterminated, 200 KB
        try (BoundedLines in = new BoundedLines(f, "re-run the training", 100_000)) {
            assertEquals("{}", in.next());
            BoundedLines.LineException e = assertThrows(BoundedLines.LineException.class, in::next);
            assertEquals(f + " line 2 is longer than 100000 bytes, more than any line explosion-lab writes: the file is damaged"
                    + " or not one of ours; re-run the training", e.getMessage());
        }
    }

    @Test
    void invalidUtf8NamesTheFileTheLineAndTheByte() throws IOException {
        Path f = Files.write(tmp.resolve("m.jsonl"), "{\"a\":1}\n{\"b\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        try (BoundedLines in = BoundedLines.open(f, "re-run the training")) {
            in.next();
            BoundedLines.LineException e = assertThrows(BoundedLines.LineException.class, in::next);
            assertEquals(f + " line 2 is not UTF-8 text (byte 10 of the line, 0xe9, is not valid UTF-8): the file is damaged;"
                    + " re-run the training", e.getMessage());
            assertTrue(e.getMessage().lines().count() == 1);
        }
    }
}
