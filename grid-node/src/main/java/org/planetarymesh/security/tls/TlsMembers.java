package org.planetarymesh.security.tls;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.internal.networking.ChannelInitializer;
import com.hazelcast.internal.server.ServerContext;
import com.hazelcast.instance.EndpointQualifier;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Starts Hazelcast members whose every connection (member, client, REST) is mutual TLS.
 *
 * <p>Hazelcast's own NodeExtension service route accepts only its two built-in class names, so the member
 * is created with a {@link DefaultNodeContext} whose node extension wraps each channel initializer.
 */
public final class TlsMembers {

    private TlsMembers() {
    }

    /**
     * Starts a member with {@link TlsChannelInitializer#DEFAULT_HANDSHAKE_TIMEOUT}.
     *
     * @param config  the member config; multicast join must be off (it is plain UDP)
     * @param context key material of this member and the CA it trusts, for TLSv1.3
     */
    public static HazelcastInstance newMember(Config config, SSLContext context) {
        return newMember(config, context, TlsChannelInitializer.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** Starts a member whose connections must finish their TLS handshake within {@code handshakeTimeout}. */
    public static HazelcastInstance newMember(Config config, SSLContext context, Duration handshakeTimeout) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()
                || config.getAdvancedNetworkConfig().getJoin().getMulticastConfig().isEnabled()) {
            throw new IllegalArgumentException("multicast discovery is plain UDP: turn it off for a TLS member");
        }
        return HazelcastInstanceFactory.newHazelcastInstance(config, config.getInstanceName(),
                new TlsNodeContext(context, handshakeTimeout));
    }

    private static final class TlsNodeContext extends DefaultNodeContext {
        private final SSLContext context;
        private final Duration handshakeTimeout;

        TlsNodeContext(SSLContext context, Duration handshakeTimeout) {
            this.context = context;
            this.handshakeTimeout = handshakeTimeout;
        }

        @Override
        public NodeExtension createNodeExtension(Node node) {
            return new TlsNodeExtension(node, context, handshakeTimeout);
        }
    }

    private static final class TlsNodeExtension extends DefaultNodeExtension {
        private final SSLContext context;
        private final Duration handshakeTimeout;

        TlsNodeExtension(Node node, SSLContext context, Duration handshakeTimeout) {
            super(node);
            this.context = context;
            this.handshakeTimeout = handshakeTimeout;
        }

        @Override
        public Function<EndpointQualifier, ChannelInitializer> createChannelInitializerFn(ServerContext serverContext) {
            Function<EndpointQualifier, ChannelInitializer> plain = super.createChannelInitializerFn(serverContext);
            return qualifier -> {
                ChannelInitializer initializer = plain.apply(qualifier);
                return initializer == null ? null : new TlsChannelInitializer(initializer, context, handshakeTimeout);
            };
        }
    }
}
