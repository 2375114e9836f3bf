package org.explosionlab.training;

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
