package org.explosionlab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per run directory. {@code train}, {@code train --resume}, {@code report} writing into a run,
 * {@code demo} and each sweep point hold an exclusive OS lock ({@link FileChannel#tryLock()}, an
 * {@code fcntl(F_SETLK)} write lock on Linux) on {@value #FILE} in the directory, from before they write
 * their first file until they are done. A second writer gets {@link HeldException}, naming the holder's
 * PID, which the holder writes into the lock file. The OS drops the lock when its process dies, so a
 * killed run (even {@code kill -9}) never leaves a lock that blocks.
 *
 * <p>The lock file stays after the lock is released (deleting it would let a waiting process lock the
 * unlinked file while a third creates a new one). Its presence marks the directory as an explosion-lab
 * run directory, which is what {@code --overwrite} requires before it replaces anything.
 *
 * <p>The lock file is never followed through a symbolic link (a downloaded run directory could link it to
 * any file of the user's, which the PID would overwrite): a lock file that is a link, or not a regular
 * file, is refused with {@link SafePaths.UnsafePathException}, and it is opened with {@code O_NOFOLLOW}.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".explosion-lab.lock";
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean resumes;

    private RunLock(FileChannel channel, FileLock lock, boolean resumes) {
        this.channel = channel;
        this.lock = lock;
        this.resumes = resumes;
    }

    /** True when the locked directory holds a checkpoint to continue ({@link RunDirectory#claimPoint}). */
    public boolean resumes() {
        return resumes;
    }

    RunLock resuming() {
        return new RunLock(channel, lock, true);
    }

    /** Takes the lock of {@code dir} (which must exist), or throws {@link HeldException} at once. */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        requireRegular(file);
        FileChannel channel = null;
        try {
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                requireRegular(file);                         // a link made since the check: O_NOFOLLOW refused it
                throw e;
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;                                          // held by this very JVM
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new HeldException(dir, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new RunLock(channel, lock, false);
        } catch (IOException e) {
            try {
                if (channel != null) channel.close();
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
            throw new UncheckedIOException("cannot lock run directory " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The PID of the process holding {@code dir}'s lock, or null when none does (or the directory has no
     * lock file). Only probes: creates nothing and writes nothing.
     */
    public static String holderOf(Path dir) {
        Path file = dir.resolve(FILE);
        requireRegular(file);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return null;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock probe;
            try {
                probe = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return Long.toString(ProcessHandle.current().pid());
            }
            if (probe != null) {
                probe.release();
                return null;
            }
            return holder(channel);
        } catch (IOException e) {
            return null;                                   // unreadable lock file: acquire() will say so
        }
    }

    /** True when {@code dir} was written by explosion-lab (it holds the lock file). */
    public static boolean marksRun(Path dir) {
        return Files.exists(dir.resolve(FILE), LinkOption.NOFOLLOW_LINKS);
    }

    /** Refuses a lock file that is a symbolic link or not a regular file (one that does not exist yet is fine). */
    private static void requireRegular(Path file) {
        if (Files.isSymbolicLink(file)) {
            String target;
            try {
                target = " to " + Files.readSymbolicLink(file);
            } catch (IOException e) {
                target = "";
            }
            throw new SafePaths.UnsafePathException(file + " is a symbolic link" + target + "; explosion-lab never writes its lock"
                    + " through a link — delete the link (rm " + file + ") and run again");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new SafePaths.UnsafePathException(file + " is not a regular file; delete it and run again");
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
        return pid.matches("\\d+") ? pid : "unknown";
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the run directory lock (" + e.getMessage() + ")", e);
        }
    }

    /** Another process (or this one) is writing the directory. */
    public static final class HeldException extends RuntimeException {
        public HeldException(Path dir, String pid) {
            super("run directory " + dir + " is in use by another explosion-lab process (PID " + pid
                    + "); wait for it to finish, or choose another directory");
        }
    }
}
