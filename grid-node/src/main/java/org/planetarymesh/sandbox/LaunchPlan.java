package org.planetarymesh.sandbox;

import java.util.List;
import java.util.Set;
import org.planetarymesh.submitter.Protection;

/**
 * How one attempt is started: the commands wrapped around the task's own argv, outermost first, and what they
 * enforce.
 *
 * @param prefix        prepended to the task's argv (each element execs the next; no extra process stays)
 * @param enforced      the protections this attempt gets
 * @param cpuSeconds    the CPU-seconds rlimit, 0 when none
 * @param fileSizeBytes the largest file the attempt may write, 0 when unlimited
 */
public record LaunchPlan(List<String> prefix, Set<Protection> enforced, long cpuSeconds, long fileSizeBytes) {
    public LaunchPlan {
        prefix = List.copyOf(prefix);
        enforced = Set.copyOf(enforced);
    }
}
