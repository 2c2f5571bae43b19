package org.planetarymesh.security.tls;

import com.hazelcast.client.config.SocketOptions;
import com.hazelcast.client.impl.clientside.DefaultClientExtension;
import com.hazelcast.config.SSLConfig;
import com.hazelcast.internal.networking.ChannelInitializer;
import javax.net.ssl.SSLContext;

/**
 * The client extension of every Hazelcast Java client in this JVM (registered in
 * {@code META-INF/services/com.hazelcast.client.impl.ClientExtension}). A client whose config carries an
 * SSLContext ({@link TlsClients#useTls}) gets TLS channels; any other client is exactly Hazelcast's default.
 */
public class TlsClientExtension extends DefaultClientExtension {

    @Override
    public ChannelInitializer createChannelInitializer(SSLConfig sslConfig, SocketOptions socketOptions) {
        ChannelInitializer plain = super.createChannelInitializer(sslConfig, socketOptions);
        SSLContext context = TlsClients.sslContextOf(client.getClientConfig());
        if (context == null) {
            return plain;
        }
        if (client.getClientConfig().getTpcConfig().isEnabled()) {
            throw new IllegalStateException("thread-per-core networking bypasses the TLS layer: turn it off");
        }
        return new TlsChannelInitializer(plain, context, TlsChannelInitializer.DEFAULT_HANDSHAKE_TIMEOUT);
    }
}
