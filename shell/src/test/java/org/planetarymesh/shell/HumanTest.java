package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanTest {

    @ParameterizedTest
    @CsvSource({"PT0.85S, 850ms", "PT4.2S, 4.2s", "PT42S, 42s", "PT2M13S, 2m 13s", "PT1H5M, 1h 05m",
            "PT51H, 2d 03h"})
    void when_aDurationIsShown_then_itIsShortAndExactEnough(String iso, String shown) {
        assertThat(Human.duration(Duration.parse(iso))).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource({"512, 512 B", "1536, 1.5 KiB", "17179869184, 16 GiB", "16750372454, 16 GiB"})
    void when_bytesAreShown_then_binaryUnitsAreUsed(long bytes, String shown) {
        assertThat(Human.bytes(bytes)).isEqualTo(shown);
    }

    @Test
    void when_outputHasManyLines_then_theFirstIsShownAndTheRestMarked() {
        assertThat(Human.firstLine("\n  42\nmore\n", 60)).isEqualTo("42 ...");
        assertThat(Human.firstLine("x".repeat(80), 10)).isEqualTo("xxxxxxx...");
        assertThat(Human.firstLine("", 10)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"30m, PT30M", "90s, PT1M30S", "1h30m, PT1H30M", "2d, PT48H", "PT5M, PT5M", "250ms, PT0.25S", "30, PT30S"})
    void when_aDurationIsTyped_then_itIsRead(String typed, String iso) {
        assertThat(DurationArgument.parse("timeout", typed)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void when_aDurationIsNotOne_then_theUsageErrorSaysWhatToType() {
        for (String bad : new String[] {"5x", "m", "-30", "0s", "1h 30m", ""}) {
            assertThatThrownBy(() -> DurationArgument.parse("timeout", bad))
                    .isInstanceOf(CommandFailure.class).hasMessageContaining("e.g. 90s, 5m");
        }
    }

    @Test
    void when_aTableIsRendered_then_columnsAlignAndNumbersAreRightAligned() {
        String table = Table.withColumns("name", "count").rightAlign("count")
                .row("a", 5).row("longer", 123).render();

        assertThat(table).isEqualTo("""
                NAME    COUNT
                a           5
                longer    123""");
    }
}
