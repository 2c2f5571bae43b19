package org.planetarymesh.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.planetarymesh.owner.OwnerPolicy;

class ContributionTest {

    private static final long GIB = 1L << 30;
    private final List<String> warnings = new ArrayList<>();

    @Test
    void when_nothingIsCapped_then_everyCoreThreeQuartersOfMemoryAndHalfTheFreeDiskAreLent() {
        Contribution.Caps caps = Contribution.defaults().resolve(8, 16 * GIB, 100 * GIB, warnings);

        assertThat(caps).isEqualTo(new Contribution.Caps(8, 12 * GIB, 50 * GIB));
        assertThat(warnings).isEmpty();
    }

    @Test
    void when_theContributorCapsBelowTheHost_then_theirCapsAreLent() {
        Contribution.Caps caps = contribution(1.5, 4 * GIB, 20 * GIB).resolve(8, 16 * GIB, 100 * GIB, warnings);

        assertThat(caps).isEqualTo(new Contribution.Caps(1.5, 4 * GIB, 20 * GIB));
        assertThat(warnings).isEmpty();
    }

    @Test
    void when_aCapExceedsTheHost_then_theHostsAmountIsLentAndEachLoweredCapIsWarnedAbout() {
        Contribution.Caps caps = contribution(32, 64 * GIB, 500 * GIB).resolve(8, 16 * GIB, 100 * GIB, warnings);

        assertThat(caps).isEqualTo(new Contribution.Caps(8, 16 * GIB, 100 * GIB));
        assertThat(warnings).hasSize(3).anySatisfy(w -> assertThat(w).startsWith("--max-cpus"))
                .anySatisfy(w -> assertThat(w).startsWith("--max-memory"))
                .anySatisfy(w -> assertThat(w).startsWith("--max-disk"));
    }

    private static Contribution contribution(double cpus, long memory, long disk) {
        return new Contribution(OptionalDouble.of(cpus), OptionalLong.of(memory), OptionalLong.of(disk),
                Optional.empty(), OwnerPolicy.Settings.defaults(false));
    }
}
