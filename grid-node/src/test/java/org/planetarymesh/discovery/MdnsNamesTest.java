package org.planetarymesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MdnsNamesTest {

    @Test
    void when_aNodeNameHasDotsOrSpaces_then_itsHostLabelHasOnlyLettersDigitsAndHyphens() {
        assertThat(MdnsNames.hostLabel("Lab PC.example-coordinator-5701")).isEqualTo("lab-pc-example-coordinator-5701");
        assertThat(MdnsNames.hostLabel("..")).isEqualTo("planetary-mesh-node");
    }

    @Test
    void when_aNodeNameIsLong_then_labelAndInstanceNameAreCutTo63() {
        String name = "n".repeat(62) + "-x";

        assertThat(MdnsNames.hostLabel(name)).isEqualTo("n".repeat(62));
        assertThat(MdnsNames.instanceName(name)).hasSize(63);
        assertThat(MdnsNames.instanceName("coord-1")).isEqualTo("coord-1");
    }
}
