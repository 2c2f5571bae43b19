package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** How a client's config switches TLS on, and what a TLS client refuses. */
class TlsClientsTest {

    private final SSLContext tls = context();

    private static SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, null, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void when_aConfigCarriesAnSslContext_then_theExtensionFindsIt() {
        ClientConfig config = TlsClients.useTls(new ClientConfig(), tls);

        assertThat(TlsClients.sslContextOf(config)).isSameAs(tls);
        assertThat(TlsClients.sslContextOf(new ClientConfig())).isNull();
    }

    @Test
    void when_aClientAsksForThreadPerCoreNetworking_then_tlsIsRefused() {
        ClientConfig config = new ClientConfig();
        config.getTpcConfig().setEnabled(true);

        assertThatThrownBy(() -> TlsClients.useTls(config, tls))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thread-per-core");
    }
}
