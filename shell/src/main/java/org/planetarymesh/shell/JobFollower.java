package org.planetarymesh.shell;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobStatus;

/**
 * Follows a job until it ends or a timeout passes, reporting each change of its state or counts. The clock and
 * the pause are passed in, so tests run it without sleeping.
 */
final class JobFollower {
    /** Waits between two polls; {@link Thread#sleep} in the console. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    private final Clock clock;
    private final Pause pause;
    private final Duration pollInterval;

    JobFollower(Clock clock, Pause pause, Duration pollInterval) {
        this.clock = clock;
        this.pause = pause;
        this.pollInterval = pollInterval;
    }

    /**
     * Polls {@code job} until it reaches a terminal state or {@code timeout} passes.
     *
     * @param onChange told the first status and every status whose state or counts differ from the last one told
     * @return the last status seen: terminal, or not if the timeout passed first
     * @throws InterruptedException if the wait was interrupted (Ctrl-C); the job keeps running
     */
    JobStatus follow(JobHandle job, Optional<Duration> timeout, Consumer<JobStatus> onChange)
            throws InterruptedException {
        Optional<Instant> deadline = timeout.map(clock.instant()::plus);
        JobStatus told = null;
        while (true) {
            JobStatus status = job.status();
            if (told == null || told.state() != status.state()
                    || !Objects.equals(told.progress(), status.progress())) {
                onChange.accept(status);
                told = status;
            }
            if (status.state().isTerminal()) {
                return status;
            }
            Instant now = clock.instant();
            if (deadline.isPresent() && !now.isBefore(deadline.get())) {
                return status;
            }
            Duration wait = deadline.map(d -> Duration.between(now, d)).filter(left -> left.compareTo(pollInterval) < 0)
                    .orElse(pollInterval);
            pause.pause(wait);
        }
    }
}
