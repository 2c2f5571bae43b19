package org.planetarymesh.sandbox;

import java.util.Optional;
import org.planetarymesh.jobs.Sizes;
import org.planetarymesh.submitter.Resources;

/**
 * Why an attempt that ended badly ended: the limit it met, in words a researcher acts on. Pure.
 */
public final class Outcomes {
    /** Exit status of a process killed by SIGXCPU (24): the soft CPU-seconds rlimit. */
    static final int EXIT_CPU_LIMIT = 128 + 24;
    /** Exit status of a process killed by SIGXFSZ (25): the file-size rlimit. */
    static final int EXIT_FILE_SIZE_LIMIT = 128 + 25;

    private Outcomes() {
    }

    /**
     * The reason for a non-zero exit when a limit explains it, else empty (the caller says "exit code N").
     *
     * @param memoryLimitHit  the cgroup saw an OOM kill
     * @param processLimitHit the cgroup refused a fork
     */
    public static Optional<String> explain(int exitCode, boolean memoryLimitHit, boolean processLimitHit,
                                           LaunchPlan plan, Resources resources) {
        if (exitCode == 0) {
            return Optional.empty();
        }
        if (memoryLimitHit) {
            return Optional.of("memory limit exceeded (" + Sizes.format(resources.memoryBytes()) + ")");
        }
        if (exitCode == EXIT_CPU_LIMIT && plan.cpuSeconds() > 0) {
            return Optional.of("CPU time exceeded (" + plan.cpuSeconds() + " s of CPU)");
        }
        if (exitCode == EXIT_FILE_SIZE_LIMIT && plan.fileSizeBytes() > 0) {
            return Optional.of("disk quota exceeded (a file reached the " + Sizes.format(plan.fileSizeBytes())
                    + " limit)");
        }
        if (processLimitHit) {
            return Optional.of("exit code " + exitCode + " after the process limit (" + resources.processes()
                    + ") refused a fork");
        }
        return Optional.empty();
    }

    /** The reason when the work-directory check stopped the attempt. */
    public static String diskQuotaExceeded(long usedBytes, long limitBytes) {
        return "disk quota exceeded (" + Sizes.format(usedBytes) + " written, limit " + Sizes.format(limitBytes) + ")";
    }
}
