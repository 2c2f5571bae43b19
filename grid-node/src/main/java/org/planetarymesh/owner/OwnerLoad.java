package org.planetarymesh.owner;

/**
 * The owner's CPU load: how busy the host's CPUs were between two samples, less what the mesh itself used
 * (the agent and its tasks), per core. Pure arithmetic; {@link OwnerLoadMeter} takes the samples.
 *
 * <p>The mesh's share is subtracted so that the node's own tasks never make the owner look active: without it
 * a busy task would suspend itself.
 */
public final class OwnerLoad {
    private OwnerLoad() {
    }

    /**
     * One reading.
     *
     * @param cpu          the host's CPU times
     * @param meshCpuNanos CPU time used so far by the mesh's processes on this host, a running total that must not
     *                     go down when a task ends (the agent adds the times of the tasks that ended)
     * @param atNanos      a monotonic clock ({@link System#nanoTime()}) when it was read
     */
    public record Sample(ProcStat.CpuTimes cpu, long meshCpuNanos, long atNanos) {
    }

    /**
     * The non-mesh load per core between the two samples, in [0, 1] (that is [0, cores] worth of CPUs, spread over
     * the cores); {@code NaN} if no time passed between them or the CPU counters did not move.
     */
    public static double perCore(Sample before, Sample after) {
        long total = after.cpu().totalJiffies() - before.cpu().totalJiffies();
        long idle = after.cpu().idleJiffies() - before.cpu().idleJiffies();
        long wall = after.atNanos() - before.atNanos();
        if (total <= 0 || wall <= 0) {
            return Double.NaN;
        }
        double busy = (double) (total - idle) / total;
        return clamp(busy - meshShare(after.meshCpuNanos() - before.meshCpuNanos(), wall, after.cpu().cpus()));
    }

    /**
     * The fallback where there is no {@code /proc/stat}: a system-wide load per core the OS reports (which counts
     * the mesh too), less the mesh's share over the same wall time. Coarser: the OS figure may be averaged over
     * a different span than the mesh's. {@code NaN} if the OS gave none (a negative figure).
     */
    public static double perCore(double systemLoadPerCore, long meshCpuNanos, long wallNanos, int cores) {
        if (systemLoadPerCore < 0 || Double.isNaN(systemLoadPerCore)) {
            return Double.NaN;
        }
        return clamp(systemLoadPerCore - (wallNanos <= 0 ? 0 : meshShare(meshCpuNanos, wallNanos, cores)));
    }

    /** The mesh's CPU time as a share of all cores' time; a total that went down (a lost task) counts as none. */
    private static double meshShare(long meshCpuNanos, long wallNanos, int cores) {
        return Math.max(0, meshCpuNanos) / ((double) wallNanos * Math.max(1, cores));
    }

    private static double clamp(double perCore) {
        return Math.max(0, Math.min(1, perCore));
    }
}
