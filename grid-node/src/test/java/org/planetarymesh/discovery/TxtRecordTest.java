package org.planetarymesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TxtRecordTest {
    static final String CA = "sha256:" + "ab".repeat(32);

    @Test
    void when_aTlsCoordinatorIsAdvertised_then_itsTxtRecordCarriesMeshCaNodeRoleAndEnrollPort() {
        CoordinatorAdvert advert = CoordinatorAdvert.of("lab", CA, "coord-1").withEnrollPort(5801);

        Map<String, String> txt = TxtRecord.of(advert);

        assertThat(txt).containsExactly(Map.entry("mesh", "lab"), Map.entry("ca", CA), Map.entry("node", "coord-1"),
                Map.entry("role", "coordinator"), Map.entry("enroll", "5801"));
        assertThat(TxtRecord.parse(txt)).contains(advert);
    }

    @Test
    void when_aPlaintextCoordinatorIsAdvertised_then_itsRecordHasNoCaAndNoEnrollPort() {
        CoordinatorAdvert advert = CoordinatorAdvert.of("lab", null, "coord-1");

        Map<String, String> txt = TxtRecord.of(advert);

        assertThat(txt).doesNotContainKeys("ca", "enroll");
        assertThat(TxtRecord.parse(txt)).contains(advert);
        assertThat(advert.caFingerprint()).isEmpty();
        assertThat(advert.enrollPort()).isEmpty();
    }

    @Test
    void when_theCaIsEmptyOrUppercase_then_itReadsAsPlaintextOrLowercase() {
        assertThat(TxtRecord.parse(txt("ca", ""))).get().extracting(CoordinatorAdvert::caFingerprint)
                .isEqualTo(Optional.empty());
        assertThat(TxtRecord.parse(txt("ca", CA.toUpperCase().replace("SHA256", "sha256"))))
                .get().extracting(CoordinatorAdvert::caFingerprint).isEqualTo(Optional.of(CA));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "role, agent",
        "role, ''",
        "mesh, ''",
        "mesh, '  '",
        "ca, md5:abcd",
        "ca, sha256:abcd",
        "enroll, 0",
        "enroll, 65536",
        "enroll, -1",
        "enroll, 80x",
        "enroll, 123456",
    })
    void when_aFieldIsMissingOrMalformed_then_theRecordIsNoCoordinatorAdvert(String key, String value) {
        assertThat(TxtRecord.parse(txt(key, value))).isEmpty();
    }

    @Test
    void when_roleOrMeshIsAbsent_then_theRecordIsNoCoordinatorAdvert() {
        Map<String, String> noRole = txt("node", "n");
        noRole.remove("role");
        Map<String, String> noMesh = txt("node", "n");
        noMesh.remove("mesh");

        assertThat(TxtRecord.parse(noRole)).isEmpty();
        assertThat(TxtRecord.parse(noMesh)).isEmpty();
        assertThat(TxtRecord.parse(Map.of())).isEmpty();
    }

    @Test
    void when_theNodeIsAbsent_then_itReadsAsEmpty() {
        Map<String, String> txt = txt("enroll", "");
        txt.remove("node");

        assertThat(TxtRecord.parse(txt)).contains(
                new CoordinatorAdvert("lab", Optional.empty(), "", OptionalInt.empty()));
    }

    @Test
    void when_anEntryWouldExceed255Bytes_then_theAdvertIsRefused() {
        CoordinatorAdvert advert = CoordinatorAdvert.of("m".repeat(251), null, "n");

        assertThatThrownBy(() -> TxtRecord.of(advert)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mesh'").hasMessageContaining("255 bytes");
        assertThat(TxtRecord.of(CoordinatorAdvert.of("m".repeat(250), null, "n"))).containsKey("mesh");
    }

    @Test
    void when_anAdvertHasNoMeshOrABadEnrollPort_then_itCannotBeMade() {
        assertThatThrownBy(() -> CoordinatorAdvert.of(" ", null, "n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CoordinatorAdvert.of("lab", null, "n").withEnrollPort(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, String> txt(String key, String value) {
        Map<String, String> txt = new HashMap<>(Map.of("mesh", "lab", "node", "coord-1", "role", "coordinator"));
        txt.put(key, value);
        return txt;
    }
}
