package org.planetarymesh.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.planetarymesh.submitter.Resources;

class OutcomesTest {

    private static final Resources LIMITS = new Resources(0.5, 256L << 20, 1L << 30, 64);
    private static final LaunchPlan RLIMITS = new LaunchPlan(List.of(), Set.of(), 30, 1L << 30);
    private static final LaunchPlan NO_RLIMITS = new LaunchPlan(List.of(), Set.of(), 0, 0);

    @Test
    void when_theCgroupSawAnOomKill_then_theReasonIsTheMemoryLimitWhateverTheExitCode() {
        assertThat(Outcomes.explain(137, true, false, RLIMITS, LIMITS)).contains("memory limit exceeded (256 MiB)");
        assertThat(Outcomes.explain(1, true, true, NO_RLIMITS, LIMITS)).contains("memory limit exceeded (256 MiB)");
    }

    @Test
    void when_theTaskDiedOfSigxcpuUnderACpuRlimit_then_theReasonIsCpuTime() {
        assertThat(Outcomes.explain(152, false, false, RLIMITS, LIMITS)).contains("CPU time exceeded (30 s of CPU)");
        assertThat(Outcomes.explain(152, false, false, NO_RLIMITS, LIMITS)).isEmpty();
    }

    @Test
    void when_theTaskDiedOfSigxfszUnderAFileSizeRlimit_then_theReasonIsTheDiskQuota() {
        assertThat(Outcomes.explain(153, false, false, RLIMITS, LIMITS))
                .contains("disk quota exceeded (a file reached the 1 GiB limit)");
    }

    @Test
    void when_aForkWasRefused_then_theExitCodeIsKeptAndTheLimitNamed() {
        assertThat(Outcomes.explain(2, false, true, NO_RLIMITS, LIMITS))
                .contains("exit code 2 after the process limit (64) refused a fork");
    }

    @Test
    void when_noLimitExplainsTheExit_then_thereIsNoReasonToAdd() {
        assertThat(Outcomes.explain(1, false, false, RLIMITS, LIMITS)).isEmpty();
        assertThat(Outcomes.explain(0, true, true, RLIMITS, LIMITS)).isEmpty();
    }

    @Test
    void when_theWorkDirOutgrewItsQuota_then_bothAmountsAreGiven() {
        assertThat(Outcomes.diskQuotaExceeded(17L << 20, 16L << 20))
                .isEqualTo("disk quota exceeded (17 MiB written, limit 16 MiB)");
    }
}
