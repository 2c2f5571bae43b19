package org.planetarymesh.grid;

/**
 * On a machine with 2 cores or fewer the JDK's common ForkJoinPool has a parallelism of 1, and Hazelcast
 * then runs every async callback (a dispatch's completion, a client's response handling) on a brand-new
 * thread. Every entry point of ours calls {@link #usePoolOnSmallMachines()} first.
 */
public final class AsyncCallbacks {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private AsyncCallbacks() {
    }

    /** Gives the common pool 2 threads on small machines; no effect once the pool was used, or if set. */
    public static void usePoolOnSmallMachines() {
        if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(PARALLELISM, "2");
        }
    }
}
