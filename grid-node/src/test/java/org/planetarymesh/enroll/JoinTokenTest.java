package org.planetarymesh.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.planetarymesh.submitter.MeshException;

class JoinTokenTest {
    private static final String CA = "sha256:" + "ab".repeat(32);

    @Test
    void when_aTokenIsFormatted_then_itIsOneStringThatParsesBackToItself() {
        JoinToken token = JoinToken.create("abc234", CA);

        String text = token.format();

        assertThat(text).matches("pmt1\\.abc234\\.[a-z2-7]{26}\\.[0-9a-f]{64}").doesNotContain(":");
        assertThat(JoinToken.parse(text)).isEqualTo(token);
        assertThat(JoinToken.parse("  " + text.toUpperCase() + "\n")).isEqualTo(token);
    }

    @Test
    void when_twoTokensAreCreated_then_theirSecretsDiffer() {
        assertThat(JoinToken.create("abc234", CA).secret()).isNotEqualTo(JoinToken.create("abc234", CA).secret());
    }

    @Test
    void when_aTokenIsPrinted_then_itsSecretIsNot() {
        JoinToken token = JoinToken.create("abc234", CA);

        assertThat(token.toString()).contains("abc234").contains(CA).doesNotContain(token.secret());
    }

    @Test
    void when_theTextIsNotAToken_then_theMessageSaysWhatIsExpectedWithoutRepeatingIt() {
        String almost = JoinToken.create("abc234", CA).format().substring(1);

        assertThatThrownBy(() -> JoinToken.parse(almost)).isInstanceOf(MeshException.class)
                .hasMessage("not a join token: expected pmt1.<id>.<secret>.<CA sha256>, as printed by"
                        + " 'bin/mesh token create'");
    }

    @Test
    void when_theTokenIsOfAnotherVersion_then_theVersionIsNamed() {
        String next = JoinToken.create("abc234", CA).format().replace("pmt1.", "pmt2.");

        assertThatThrownBy(() -> JoinToken.parse(next)).hasMessageStartingWith("unsupported join token version 'pmt2'");
    }

    @Test
    void when_theCaHashIsCutShort_then_theTokenIsRefused() {
        String token = JoinToken.create("abc234", CA).format();

        assertThatThrownBy(() -> JoinToken.parse(token.substring(0, token.length() - 1)))
                .hasMessageStartingWith("not a join token");
    }
}
