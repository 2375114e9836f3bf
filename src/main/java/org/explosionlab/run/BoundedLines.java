package org.explosionlab.run;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one line reader for every JSONL and CSV file the project reads back (a run's metrics.jsonl for
 * {@code report} and for {@code --resume}'s replay, a sweep's comparison.csv): it streams the file, holds
 * at most one line of at most {@link #MAX_LINE_BYTES} bytes, and decodes each line as strict UTF-8. A
 * longer line (an unterminated gigabyte, say) or a byte that is not UTF-8 ends the read with one
 * {@link LineException} line naming the file, the line and what to do, instead of an OutOfMemoryError or
 * the JDK's bare "Input length = 1".
 *
 * <p>A line ends at {@code \n} (a {@code \r} before it is dropped); a last line without {@code \n} is
 * returned as it is (a killed run's cut-off row, which the caller may skip).
 */
public final class BoundedLines implements Closeable {
    /** The longest line read: 1 MiB, far above any row the project writes (a metrics row is under 4 KB). */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private final Path file;
    private final String remedy;
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private byte[] line = new byte[256];
    private long number;
    private boolean terminated;

    /**
     * @param remedy what the user should do about a damaged file, e.g. "re-run the training"
     */
    public static BoundedLines open(Path file, String remedy) throws IOException {
        return new BoundedLines(file, remedy, MAX_LINE_BYTES);
    }

    BoundedLines(Path file, String remedy, int maxLineBytes) throws IOException {
        this.file = file;
        this.remedy = remedy;
        this.maxLineBytes = maxLineBytes;
        this.in = Files.newInputStream(file);
    }

    /** The 1-based number of the line last returned. */
    public long lineNumber() {
        return number;
    }

    /** Whether the line last returned ended with a newline (false: the file ends inside it, as a killed writer leaves it). */
    public boolean terminated() {
        return terminated;
    }

    /** The next line, or null at the end of the file. */
    public String next() throws IOException {
        int n = 0;
        boolean any = false;
        terminated = false;
        while (true) {
            if (pos == lim) {
                lim = in.read(buf, 0, buf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    if (!any) return null;
                    break;
                }
            }
            any = true;
            int start = pos;
            while (pos < lim && buf[pos] != '\n') pos++;
            int len = pos - start;
            if ((long) n + len > maxLineBytes) {
                throw new LineException(file + " line " + (number + 1) + " is longer than " + describe(maxLineBytes)
                        + ", more than any line explosion-lab writes: the file is damaged or not one of ours; " + remedy);
            }
            if (n + len > line.length) line = java.util.Arrays.copyOf(line, Math.max(n + len, Math.min(2 * line.length, maxLineBytes)));
            System.arraycopy(buf, start, line, n, len);
            n += len;
            if (pos < lim) {              // at '\n'
                pos++;
                terminated = true;
                break;
            }
        }
        number++;
        if (n > 0 && line[n - 1] == '\r') n--;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line, 0, n)).toString();
        } catch (MalformedInputException e) {
            int at = badByte(n);
            throw new LineException(file + " line " + number + " is not UTF-8 text (byte " + at + " of the line, 0x"
                    + String.format("%02x", line[at - 1] & 0xff) + ", is not valid UTF-8): the file is damaged; " + remedy);
        } catch (CharacterCodingException e) {
            throw new LineException(file + " line " + number + " is not UTF-8 text (" + e.getMessage() + "): the file is damaged; " + remedy);
        }
    }

    /** The 1-based position of the first byte of the line that UTF-8 refuses. */
    private int badByte(int n) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, n);
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(n + 1);
        var result = decoder.decode(bytes, chars, true);
        return result.isError() ? bytes.position() + 1 : n;
    }

    private static String describe(int bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A line too long or not UTF-8; the message is one line for the user. */
    public static final class LineException extends IOException {
        public LineException(String message) {
            super(message);
        }
    }
}
