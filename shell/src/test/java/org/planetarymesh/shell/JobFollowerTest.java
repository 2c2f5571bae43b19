package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.shell.Fixtures.T0;
import static org.planetarymesh.shell.Fixtures.aJob;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.JobStatus;

class JobFollowerTest {
    private final FakeMesh mesh = new FakeMesh();
    private final TestClock clock = new TestClock(T0);
    private final List<Duration> pauses = new ArrayList<>();
    private final JobFollower follower = new JobFollower(clock, d -> {
        pauses.add(d);
        clock.advance(d);
    }, Duration.ofSeconds(2));
    private final List<JobStatus> told = new ArrayList<>();

    private static JobStatus status(int ok, int running, int queued) {
        return aJob("j-1").counts(ok, 0, running, queued).build();
    }

    @Test
    void when_theCountsDoNotChange_then_theStatusIsToldOnce() throws InterruptedException {
        var job = mesh.addJob(status(0, 1, 1), status(0, 1, 1), status(0, 1, 1), status(2, 0, 0));

        JobStatus last = follower.follow(job, Optional.empty(), told::add);

        assertThat(told).extracting(s -> s.progress().finished()).containsExactly(0, 2);
        assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(pauses).hasSize(3).containsOnly(Duration.ofSeconds(2));
    }

    @Test
    void when_theJobIsAlreadyOver_then_itReturnsWithoutPausing() throws InterruptedException {
        var job = mesh.addJob(status(2, 0, 0));

        follower.follow(job, Optional.of(Duration.ofMinutes(1)), told::add);

        assertThat(told).hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void when_theTimeoutPasses_then_itReturnsTheRunningStatusAndNeverPausesPastTheDeadline()
            throws InterruptedException {
        var job = mesh.addJob(status(0, 2, 0));

        JobStatus last = follower.follow(job, Optional.of(Duration.ofSeconds(5)), told::add);

        assertThat(last.state()).isEqualTo(JobState.RUNNING);
        assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(5));
    }
}
