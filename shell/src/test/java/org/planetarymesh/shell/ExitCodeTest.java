package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.planetarymesh.submitter.InvalidJobSpecException;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.MeshException;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.shell.CommandNotFound;

class ExitCodeTest {

    @ParameterizedTest
    @EnumSource(JobState.class)
    void when_aWaitEnds_then_onlyASucceededJobExitsWithZero(JobState state) {
        ExitCode code = ExitCode.afterWait(state);

        assertThat(code.code() == 0).isEqualTo(state == JobState.SUCCEEDED);
    }

    @Test
    void when_aWaitEnds_then_eachEndHasItsOwnCode() {
        assertThat(Arrays.stream(JobState.values()).map(ExitCode::afterWait)).containsExactly(
                ExitCode.WAIT_TIMED_OUT, ExitCode.WAIT_TIMED_OUT, ExitCode.OK, ExitCode.JOB_FAILED,
                ExitCode.JOB_CANCELLED);
    }

    @Test
    void when_codesAreListed_then_noTwoShareANumber() {
        assertThat(Arrays.stream(ExitCode.values()).map(ExitCode::code)).doesNotHaveDuplicates();
    }

    @Test
    void when_aCommandThrows_then_theCodeFollowsWhatWentWrong() {
        assertThat(ExitCode.of(new InvalidJobSpecException(List.of()))).isEqualTo(ExitCode.INVALID_SPEC);
        assertThat(ExitCode.of(new MeshException("no job j-1"))).isEqualTo(ExitCode.MESH_ERROR);
        assertThat(ExitCode.of(new CommandFailure(ExitCode.USAGE, "bad"))).isEqualTo(ExitCode.USAGE);
        assertThat(ExitCode.of(new IllegalStateException("bug"))).isEqualTo(ExitCode.UNEXPECTED);
    }

    /** What Spring Shell throws through Spring Boot for a resolved command error (ShellExitCodeException). */
    static final class ExitCodeException extends RuntimeException implements ExitCodeGenerator {
        @Override
        public int getExitCode() {
            return 5;
        }
    }

    @Test
    void when_aOneCommandRunFailsWithAnExitCode_then_thatCodeIsFoundUnderBootsWrapping() {
        var wrapped = new IllegalStateException("Failed to execute ApplicationRunner", new ExitCodeException());

        assertThat(ExitCode.ofReportedFailure(wrapped)).contains(5);
    }

    @Test
    void when_theCommandIsUnknown_then_theRunExitsWithUsage() {
        var notFound = new CommandNotFound(List.of("frobnicate"), Map.of(), "frobnicate");

        assertThat(ExitCode.ofReportedFailure(notFound)).contains(ExitCode.USAGE.code());
    }

    @Test
    void when_theConsoleFailsToStart_then_theFailureCountsAsNotReported() {
        assertThat(ExitCode.ofReportedFailure(new IllegalStateException("no bean"))).isEmpty();
    }
}
