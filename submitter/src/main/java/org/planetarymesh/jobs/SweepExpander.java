package org.planetarymesh.jobs;

import java.util.List;
import org.planetarymesh.submitter.JobSpec;

/** Expands a spec's parameter sweep into tasks. (Stub: being written.) */
public final class SweepExpander {
    private SweepExpander() {
    }

    /** How many tasks the sweep has (the product of the value counts), without building them. */
    public static int taskCount(JobSpec spec) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Every task of the sweep, in sweep order. */
    public static List<TaskDefinition> expand(JobSpec spec) {
        throw new UnsupportedOperationException("not yet");
    }
}
