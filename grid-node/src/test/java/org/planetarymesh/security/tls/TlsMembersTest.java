package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** What {@link TlsMembers} refuses before a member starts: configs whose traffic would bypass TLS. */
class TlsMembersTest {

    private final SSLContext tls = TestPki.newCa("ca").context("member");

    @Test
    void when_multicastDiscoveryIsOn_then_noTlsMemberStarts() {
        Config config = new Config();
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(true);

        assertThatThrownBy(() -> TlsMembers.newMember(config, tls))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multicast");
    }

    @Test
    void when_threadPerCoreNetworkingIsOn_then_noTlsMemberStarts() {
        Config config = new Config();
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getTpcConfig().setEnabled(true);

        assertThatThrownBy(() -> TlsMembers.newMember(config, tls))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thread-per-core");
    }

    @Test
    void when_separateClientTrustIsAskedWithoutAClientEndpoint_then_noTlsMemberStarts() {
        Config config = new Config();
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);

        assertThatThrownBy(() -> TlsMembers.newMember(config, tls, tls))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client endpoint");
    }
}
