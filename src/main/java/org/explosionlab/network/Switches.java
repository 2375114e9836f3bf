package org.explosionlab.network;

/**
 * The project's on-by-default switches ({@code -Dexplosionlab.fastAdam=false} and its siblings), read
 * one way: a switch is on unless its system property says {@code false} (any case, spaces ignored).
 */
final class Switches {
    private Switches() {
    }

    /** True unless {@code property} is set to {@code false}. */
    static boolean on(String property) {
        return !"false".equalsIgnoreCase(System.getProperty(property, "true").trim());
    }
}
