package org.explosionlab.sweep;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gives back the native memory of a finished point. ND4J's arrays live off-heap and JavaCPP frees
 * them only once the garbage collector has collected their small Java objects; with a large heap that
 * happens rarely, so a long in-JVM sweep held up to JavaCPP's limit ({@code maxBytes}, the heap size by
 * default) of dead arrays on top of the heap: 7.5 GB RSS at {@code -Xmx4g} (issue 28). Nothing leaks
 * per point in the sense of a lost pointer: what grew were the worker thread's ND4J workspaces, kept
 * after each network (40 points of 1 batch: 693 MiB resident outside the heap, 237 MiB with the fix).
 * After each point the thread's workspaces are destroyed (the next point creates its own), and when the
 * process holds more than {@value #GC_ABOVE_MIB} MiB outside the Java heap the collector is asked to run,
 * which frees dead arrays.
 */
public final class NativeMemory {
    /** Resident MiB outside the Java heap above which a finished point triggers a collection. */
    static final long GC_ABOVE_MIB = 1024;

    private NativeMemory() {
    }

    /** Called on the worker thread once its point has finished, failed or not. */
    public static void releaseAfterPoint() {
        try {
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        } catch (RuntimeException e) {
            // best effort: the next point creates its workspaces anyway
        }
        if (outsideHeapBytes() > GC_ABOVE_MIB << 20) System.gc();
    }

    /** The process's resident bytes ({@code /proc/self/statm}) less the committed Java heap. */
    public static long outsideHeapBytes() {
        return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
    }
}
