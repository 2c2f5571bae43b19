package org.planetarymesh.submitter;

/**
 * What one task may use on a node. The node's sandbox enforces each limit per attempt where the host can
 * (cgroups, rlimits, a checked work-directory quota); the scheduler never places more on a node than its
 * contributor's caps allow. In a job spec: {@code resources: {cpus: 0.5, memory: 256MiB, disk: 1GiB, processes: 64}}.
 *
 * @param cpus        CPU share, in cores (0.5 = half a core); enforced as a CFS quota
 * @param memoryBytes resident memory plus swap of the attempt's whole process tree
 * @param diskBytes   bytes the attempt may write into its work directory (and the largest file it may write)
 * @param processes   processes and threads the attempt may have at once
 */
public record Resources(double cpus, long memoryBytes, long diskBytes, int processes) {

    /** Defaults for fields a spec leaves out: 1 CPU, 512 MiB memory, 1 GiB disk, 256 processes. */
    public static final Resources DEFAULT = new Resources(1.0, 512L << 20, 1L << 30, 256);

    public Resources {
        if (!(cpus > 0) || Double.isInfinite(cpus)) {
            throw new IllegalArgumentException("cpus must be > 0: " + cpus);
        }
        if (memoryBytes <= 0 || diskBytes <= 0 || processes <= 0) {
            throw new IllegalArgumentException("memory, disk and processes must be > 0");
        }
    }
}
