package org.planetarymesh.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.AGENT;
import static org.planetarymesh.jobs.RecordFixtures.NOW;
import static org.planetarymesh.jobs.RecordFixtures.aTask;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.TaskRecord;

class LostAttemptsTest {
    private static final long GRACE = 10_000;
    /** assignedTo is the builder's first timed step: NOW + 10. */
    private static final long ASSIGNED = NOW + 10;

    private final TaskRecord task = aTask().assignedTo(AGENT).build();
    private final LostAttempts lost = new LostAttempts(GRACE, NOW);

    @Test
    void when_theNodeNeverListsAnAttemptForTheGrace_then_itIsLost() {
        assertThat(lost.lost(List.of(task), ASSIGNED + GRACE)).isEmpty();
        assertThat(lost.lost(List.of(task), ASSIGNED + GRACE + 1)).containsExactly(task);
    }

    @Test
    void when_theNodeListsTheAttempt_then_theGraceCountsFromTheLastListing() {
        lost.listed(List.of(task.attemptId()), ASSIGNED + 30_000);

        assertThat(lost.lost(List.of(task), ASSIGNED + 30_000 + GRACE)).isEmpty();
        assertThat(lost.lost(List.of(task), ASSIGNED + 30_001 + GRACE)).containsExactly(task);
    }

    @Test
    void when_anotherAttemptOfTheTaskIsListed_then_thisOneIsStillLost() {
        lost.listed(List.of(task.taskId() + "@99"), ASSIGNED + GRACE + 1);

        assertThat(lost.lost(List.of(task), ASSIGNED + GRACE + 1)).containsExactly(task);
    }

    @Test
    void when_aNewLeaderTakesOver_then_itWaitsAGraceFromItsTermStartWhateverTheAssignmentTime() {
        long termStart = ASSIGNED + 60_000;
        LostAttempts newLeader = new LostAttempts(GRACE, termStart);

        assertThat(newLeader.lost(List.of(task), termStart + GRACE)).isEmpty();
        assertThat(newLeader.lost(List.of(task), termStart + GRACE + 1)).containsExactly(task);
    }

    @Test
    void when_oldListingsAreForgotten_then_theGraceCountsFromTheAssignmentAgain() {
        lost.listed(List.of(task.attemptId()), ASSIGNED + 30_000);
        lost.forgetListedBefore(ASSIGNED + 30_001);

        assertThat(lost.lost(List.of(task), ASSIGNED + GRACE + 1)).containsExactly(task);
    }
}
