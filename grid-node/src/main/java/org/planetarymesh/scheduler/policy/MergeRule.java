package org.planetarymesh.scheduler.policy;

import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.TaskRecord;

/**
 * Which copy of a job or task survives when the two sides of a healed network split merge. A result must
 * never be lost, so a finished copy beats an unfinished one; then the copy written by the higher leader epoch
 * wins (it fenced the other out where both were seen); on a tie the side merged into keeps its copy. Both
 * sides count epochs from the same stored value, so equal epochs can name different leaders: the tie rule
 * keeps that case deterministic rather than right, and the finished-first rule protects what matters.
 */
public final class MergeRule {
    private MergeRule() {
    }

    /** True if {@code merging} (from the side that joins) should replace {@code existing}. */
    public static boolean prefersMerging(Object merging, Object existing) {
        if (merging instanceof TaskRecord in && existing instanceof TaskRecord here) {
            return prefers(in.state().isTerminal(), here.state().isTerminal(), in.writerEpoch(), here.writerEpoch());
        }
        if (merging instanceof JobRecord in && existing instanceof JobRecord here) {
            return prefers(in.finishedAt() != 0, here.finishedAt() != 0, in.writerEpoch(), here.writerEpoch());
        }
        return false;
    }

    private static boolean prefers(boolean mergingDone, boolean existingDone, long mergingEpoch, long existingEpoch) {
        if (mergingDone != existingDone) {
            return mergingDone;
        }
        return mergingEpoch > existingEpoch;
    }
}
