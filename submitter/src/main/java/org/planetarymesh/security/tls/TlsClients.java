package org.planetarymesh.security.tls;

import com.hazelcast.client.config.ClientConfig;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Switches TLS on for one Java client. Hazelcast's SSLConfig throws in community edition, so the
 * SSLContext travels in the client's user context, where {@link TlsClientExtension} finds it.
 */
public final class TlsClients {

    /** Key in {@link ClientConfig#getUserContext()} under which the client's SSLContext is kept. */
    public static final String SSL_CONTEXT_KEY = TlsClients.class.getName() + ".sslContext";

    private TlsClients() {
    }

    /**
     * Makes every connection of a client built from {@code config} mutual TLS with {@code context}.
     *
     * @throws IllegalArgumentException if the config enables thread-per-core networking, which the TLS
     *                                  layer does not cover (the client extension checks again at start)
     */
    public static ClientConfig useTls(ClientConfig config, SSLContext context) {
        if (config.getTpcConfig().isEnabled()) {
            throw new IllegalArgumentException("thread-per-core networking bypasses the TLS layer: turn it off");
        }
        config.getUserContext().put(SSL_CONTEXT_KEY, Objects.requireNonNull(context, "context"));
        return config;
    }

    /** The SSLContext set by {@link #useTls}, or null for a plaintext client. */
    static SSLContext sslContextOf(ClientConfig config) {
        Object context = config.getUserContext().get(SSL_CONTEXT_KEY);
        return context instanceof SSLContext ssl ? ssl : null;
    }
}
