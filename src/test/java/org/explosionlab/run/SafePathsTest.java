package org.explosionlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one path-safety rule (issue 28: findings 4, 13, 14, 15, 19), below the command line. */
class SafePathsTest {

    /** Finding 13: --overwrite (RunFiles.clear) removed any file matching .*.*.tmp, a user's too. */
    @Test
    void overwriteRemovesOnlyTheTempFilesOfFilesARunWrites(@TempDir Path dir) throws Exception {
        List<String> users = List.of(".notes.backup.tmp", ".my.thesis.tmp", ".summary.json.tmp", ".summary.json.12.xyz.tmp",
                ".thesis.docx.123.abc.tmp", "summary.json.123.abc.tmp");
        for (String f : users) Files.writeString(dir.resolve(f), "the user's " + f);
        Path ours = Files.writeString(dir.resolve(".summary.json.4242.18f2a9c.tmp"), "{");
        Path chart = Files.writeString(dir.resolve(".loss.png.4242.18f2a9d.tmp"), "png");
        Path status = Files.writeString(dir.resolve(".point-status.txt.7.1.tmp"), "running");

        RunFiles.clear(dir);

        for (String f : users) assertTrue(Files.exists(dir.resolve(f)), f + " was deleted");
        assertFalse(Files.exists(ours));
        assertFalse(Files.exists(chart));
        assertFalse(Files.exists(status));
    }

    @Test
    void aTempFileOfTempBesideIsALeftover(@TempDir Path dir) throws Exception {
        Path tmp = AtomicFiles.tempBeside(dir.resolve("metrics.jsonl"));
        assertTrue(RunFiles.isLeftover(tmp.getFileName().toString()), tmp.toString());
    }

    /** Finding 4: the lock was followed through a link and the linked file truncated to a PID. */
    @Test
    void theLockIsNeverTakenThroughASymbolicLink(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.createSymbolicLink(run.resolve(RunLock.FILE), victim);

        SafePaths.UnsafePathException e = assertThrows(SafePaths.UnsafePathException.class, () -> RunLock.acquire(run));
        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertThrows(SafePaths.UnsafePathException.class, () -> RunLock.holderOf(run));
        assertEquals("precious", Files.readString(victim));
        assertTrue(RunLock.marksRun(run));                  // so that report and --overwrite take (and refuse) the lock
    }

    @Test
    void aLockThatIsADirectoryIsRefused(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.createDirectory(run.resolve(RunLock.FILE));
        assertThrows(SafePaths.UnsafePathException.class, () -> RunLock.acquire(run));
    }

    @Test
    void aRegularLockStillWorks(@TempDir Path dir) throws Exception {
        try (RunLock lock = RunLock.acquire(dir)) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), RunLock.holderOf(dir));
        }
    }

    /** Findings 1 and 15: a point or run sub-directory that links elsewhere is never written through. */
    @Test
    void aLinkedSubDirectoryIsRefusedAndARealOneIsFine(@TempDir Path dir) throws Exception {
        Path sweep = Files.createDirectories(dir.resolve("sweep"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(sweep.resolve("linked"), outside);
        Files.createDirectories(sweep.resolve("real"));

        assertThrows(SafePaths.UnsafePathException.class, () -> SafePaths.requireInside(sweep, sweep.resolve("linked")));
        assertThrows(SafePaths.UnsafePathException.class, () -> SafePaths.requireInside(sweep, sweep.resolve("..")));
        assertThrows(SafePaths.UnsafePathException.class, () -> SafePaths.requireInside(sweep, sweep.resolve(".")));
        SafePaths.requireInside(sweep, sweep.resolve("real"));
        SafePaths.requireInside(sweep, sweep.resolve("not-yet"));
    }

    /** Finding 14: escape sequences from files reached the terminal raw. */
    @Test
    void controlCharactersAreShownNotSent() {
        assertEquals("x\\e]0;pwned\\x07\\e[2J", SafePaths.printable("x\u001b]0;pwned\u0007\u001b[2J"));
        assertEquals("a\\nb\\rc\\x9b\\u2028", SafePaths.printable("a\nb\rc\u009b\u2028"));
        assertEquals("tab\tand ünïcode ‖g‖₂ stay", SafePaths.printable("tab\tand ünïcode ‖g‖₂ stay"));
    }

    /** Finding 19: a run name -2-3 became a formula cell in comparison.csv. */
    @Test
    void csvCellsNeverStartAFormula() {
        assertEquals("'-2-3", SafePaths.csvCell("-2-3"));
        assertEquals("'=1+1", SafePaths.csvCell("=1+1"));
        assertEquals("'+1", SafePaths.csvCell("+1"));
        assertEquals("'@SUM(A1)", SafePaths.csvCell("@SUM(A1)"));
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", SafePaths.csvCell("=HYPERLINK(\"http://x\",\"y\")"));
        assertEquals("'\tx", SafePaths.csvCell("\tx"));
        assertEquals("seed-baseline", SafePaths.csvCell("seed-baseline"));
        assertEquals("\"a,b\"", SafePaths.csvCell("a,b"));
    }
}
