package org.explosionlab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one path-safety rule for every directory and file explosion-lab writes:
 * <ul>
 *   <li>a name that becomes a directory (a spec's {@code name}: a run or sweep point) starts with a letter or
 *       digit ({@code ExperimentSpec.NAME}), so it is never {@code .}, {@code ..}, a hidden file such as the lock,
 *       nor read as a command-line option or a spreadsheet formula;</li>
 *   <li>a directory it writes into below a directory it was given (a sweep's point directories, a sweep's
 *       runs for {@code report}) is never a symbolic link and resolves inside that directory
 *       ({@link #requireInside});</li>
 *   <li>a directory given to write a run or sweep into ({@code --out}) is not itself a symbolic link
 *       ({@link #requireNotLink}), and does not reach its place through a directory that does not exist and {@code ..};</li>
 *   <li>a file explosion-lab reads (a checkpoint, a summary, a Keras model) that exists but is not a regular file is
 *       named for what it is ({@link #kindOf}): a directory, or a named pipe whose read would wait forever;</li>
 *   <li>the lock file is opened without following links ({@link RunLock});</li>
 *   <li>{@code --overwrite} removes only files of the exact names a run writes ({@link RunFiles},
 *       {@link AtomicFiles#isLeftover});</li>
 *   <li>text read from files and echoed to the terminal has its control characters escaped
 *       ({@link #printable}), and CSV cells never start a formula ({@link #csvCell}).</li>
 * </ul>
 */
public final class SafePaths {
    private SafePaths() {
    }

    /**
     * Fails when {@code child}, an entry of {@code parent} that explosion-lab is about to write into, is a
     * symbolic link or resolves outside {@code parent}. A child that does not exist yet is fine.
     */
    public static void requireInside(Path parent, Path child) {
        if (Files.isSymbolicLink(child)) {
            throw new UnsafePathException(child + " is a symbolic link" + target(child) + "; explosion-lab writes only into real"
                    + " sub-directories of " + parent + " — replace the link with a copy of the directory, or remove it");
        }
        if (!Files.exists(child, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Path real = child.toRealPath();
            Path realParent = parent.toRealPath();
            if (!real.startsWith(realParent) || real.equals(realParent)) {
                throw new UnsafePathException(child + " resolves to " + real + ", outside " + parent
                        + "; explosion-lab writes only inside it — choose another directory");
            }
        } catch (IOException e) {
            throw new UnsafePathException("cannot resolve " + child + " (" + e.getMessage() + "); choose another directory");
        }
    }

    /**
     * Fails when {@code dir}, given as {@code option} to write a run or sweep into, is a symbolic link: {@code --overwrite}
     * would clear files wherever it points, and the run would not be where it says it is.
     */
    public static void requireNotLink(Path dir, String option) {
        if (Files.isSymbolicLink(dir)) {
            throw new UnsafePathException(option + " " + dir + " is a symbolic link" + target(dir) + "; explosion-lab writes a"
                    + " run only into a real directory: give the directory it points to, or another " + option);
        }
    }

    /**
     * What {@code path} is when it exists but is not a regular file (links followed): "a directory", "a named pipe
     * (FIFO)", "a socket", "a device" or "not a regular file"; null for a regular file or nothing at all.
     */
    public static String kindOf(Path path) {
        if (!Files.exists(path) || Files.isRegularFile(path)) return null;
        if (Files.isDirectory(path)) return "a directory";
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a named pipe (FIFO)";
                case 0140000 -> "a socket";
                case 0020000, 0060000 -> "a device";
                default -> "not a regular file";
            };
        } catch (IOException | RuntimeException e) {
            return "not a regular file";
        }
    }

    private static String target(Path link) {
        try {
            return " (to " + Files.readSymbolicLink(link) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /**
     * {@code text} safe to print on a terminal: every control character (C0, DEL, C1, and the line and
     * paragraph separators) but tab becomes a visible escape ({@code \e}, {@code \n}, {@code \r}, {@code \x07},
     * {@code \u2028}), so an escape sequence in a spec or summary file cannot recolour, retitle or rewrite the
     * terminal, nor split an error into several lines.
     */
    public static String printable(String text) {
        if (text == null) return null;
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (!control) {
                if (sb != null) sb.append(c);
                continue;
            }
            if (sb == null) sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            switch (c) {
                case 0x1b -> sb.append("\\e");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * One CSV field: a cell a spreadsheet would take for a formula (starting with {@code = + - @}, tab or CR)
     * gets a leading {@code '} (OWASP's advice against CSV injection); then RFC 4180 quoting when the field
     * holds a comma, quote or line break. Use it for every text cell; numbers are written as numbers.
     */
    public static String csvCell(String s) {
        if (s == null) return "";
        String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return v.matches("[^,\"\r\n]*") ? v : "\"" + v.replace("\"", "\"\"") + "\"";
    }

    /** A path explosion-lab will not write through (a symbolic link, or outside the directory it was given). Bad input: exit code 2. */
    public static final class UnsafePathException extends RuntimeException {
        public UnsafePathException(String message) {
            super(message);
        }
    }
}
