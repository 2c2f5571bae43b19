package org.planetarymesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshSelectorTest {
    static final String CA = "sha256:" + "ab".repeat(32);
    static final String OTHER_CA = "sha256:" + "cd".repeat(32);

    @Test
    void when_meshAndCaAgree_then_theAdvertMatches_ignoringTheCasOfTheFingerprint() {
        MeshSelector selector = MeshSelector.of("lab", CA.toUpperCase().replace("SHA256", "sha256"));

        assertThat(selector.matches(CoordinatorAdvert.of("lab", CA, "c1"))).isTrue();
    }

    @Test
    void when_theMeshNameDiffers_evenInCase_then_theAdvertDoesNotMatch() {
        MeshSelector selector = MeshSelector.of("lab", CA);

        assertThat(selector.matches(CoordinatorAdvert.of("other", CA, "c1"))).isFalse();
        assertThat(selector.matches(CoordinatorAdvert.of("Lab", CA, "c1"))).isFalse();
    }

    @Test
    void when_theCaDiffers_orOneSideIsPlaintext_then_theAdvertDoesNotMatch() {
        assertThat(MeshSelector.of("lab", CA).matches(CoordinatorAdvert.of("lab", OTHER_CA, "c1"))).isFalse();
        assertThat(MeshSelector.of("lab", CA).matches(CoordinatorAdvert.of("lab", null, "c1"))).isFalse();
        assertThat(MeshSelector.of("lab", null).matches(CoordinatorAdvert.of("lab", CA, "c1"))).isFalse();
        assertThat(MeshSelector.of("lab", " ").matches(CoordinatorAdvert.of("lab", "", "c1"))).isTrue();
    }

    @Test
    void when_nothingAnswered_then_theMessageSaysWhatWhereHowLongAndWhatToDo() {
        String message = MeshSelector.of("lab", CA).noneFound("eth0 (10.0.0.5)", Duration.ofSeconds(5), List.of());

        assertThat(message).isEqualTo("no coordinator of mesh 'lab' with CA " + CA
                + " answered on eth0 (10.0.0.5) within 5 s; give --join HOST:PORT");
        assertThat(MeshSelector.of("lab", null).noneFound("lo (127.0.0.1)", Duration.ofMillis(1500), List.of()))
                .startsWith("no coordinator of plaintext mesh 'lab' answered on lo (127.0.0.1) within 1.5 s;");
    }

    @Test
    void when_otherMeshesAnswered_then_theMessageNamesThem() {
        String message = MeshSelector.of("lab", CA).noneFound("lo (127.0.0.1)", Duration.ofSeconds(5),
                List.of(CoordinatorAdvert.of("lab", OTHER_CA, "c2"), CoordinatorAdvert.of("lab", null, "c3"),
                        CoordinatorAdvert.of("lab2", CA, "c4"), CoordinatorAdvert.of("Lab", CA, "c5")));

        assertThat(message).endsWith("; give --join HOST:PORT (seen and ignored: mesh 'lab' with CA " + OTHER_CA
                + " from 'c2', plaintext mesh 'lab' from 'c3', 2 coordinators of other meshes)");
        assertThat(MeshSelector.of("lab", CA).noneFound("lo", Duration.ofSeconds(5),
                List.of(CoordinatorAdvert.of("x", CA, "c4")))).endsWith("(seen and ignored: 1 coordinator of other meshes)");
    }

    @Test
    void when_aCoordinatorIsFoundOnIpv6_then_itsAddressIsBracketed() {
        CoordinatorAdvert advert = CoordinatorAdvert.of("lab", null, "c1");

        assertThat(new FoundCoordinator("10.0.0.5", 5701, advert).hostPort()).isEqualTo("10.0.0.5:5701");
        assertThat(new FoundCoordinator("fd00::2", 5701, advert).hostPort()).isEqualTo("[fd00::2]:5701");
    }
}
