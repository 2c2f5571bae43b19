package org.planetarymesh.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    @Test
    void when_attemptsKeepFailing_then_theWaitDoublesUpToTheCap() {
        RetryBackoff noJitter = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0, () -> 0.9);

        assertThat(new long[] {noJitter.delayMillis(1), noJitter.delayMillis(2), noJitter.delayMillis(3),
            noJitter.delayMillis(4), noJitter.delayMillis(5), noJitter.delayMillis(40)})
                .containsExactly(1000, 2000, 4000, 8000, 10000, 10000);
    }

    @Test
    void when_jitterIsOn_then_theWaitStaysWithinItsBandAndTheCap() {
        assertThat(RetryBackoff.standard(() -> 0.0).delayMillis(1)).isEqualTo(750);
        assertThat(RetryBackoff.standard(() -> 0.999_999).delayMillis(1)).isBetween(1249L, 1250L);
        assertThat(RetryBackoff.standard(() -> 0.999_999).delayMillis(20)).isEqualTo(60_000);
    }

    @Test
    void when_noBackoffIsConfigured_then_retriesAreImmediate() {
        assertThat(RetryBackoff.NONE.delayMillis(3)).isZero();
    }
}
