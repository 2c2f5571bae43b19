package org.planetarymesh.security.tls;

import com.hazelcast.config.Config;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.internal.networking.ChannelInitializer;
import com.hazelcast.internal.server.ServerContext;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.ProtocolType;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
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
     * @param config  the member config; multicast join (plain UDP) and thread-per-core networking (not
     *                covered by the TLS layer) must be off
     * @param context key material of this member and the CA it trusts, for TLSv1.3
     */
    public static HazelcastInstance newMember(Config config, SSLContext context) {
        return newMember(config, context, TlsChannelInitializer.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** Starts a member whose connections must finish their TLS handshake within {@code handshakeTimeout}. */
    public static HazelcastInstance newMember(Config config, SSLContext context, Duration handshakeTimeout) {
        Objects.requireNonNull(context, "context");
        return start(config, qualifier -> context, handshakeTimeout, null, TlsConnections.acceptingAll());
    }

    /**
     * Starts a member whose one port serves members and clients with {@code context}, where the handshake
     * cannot tell which protocol follows: an accepted connection that then speaks the member protocol must
     * present a certificate of one of {@code memberRoles} ({@link MeshRoles#MEMBERS}), else it is refused and
     * logged. Clients of any role the context accepts may still connect.
     */
    public static HazelcastInstance newMember(Config config, SSLContext context, Set<String> memberRoles) {
        return newMember(config, context, memberRoles, TlsConnections.acceptingAll());
    }

    /**
     * Like {@link #newMember(Config, SSLContext, Set)}, and every connection whose handshake ends is tracked in
     * {@code connections}, so {@link TlsConnections#closeRefused()} can close those of a peer denied later.
     */
    public static HazelcastInstance newMember(Config config, SSLContext context, Set<String> memberRoles,
                                              TlsConnections connections) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(memberRoles, "memberRoles");
        Objects.requireNonNull(connections, "connections");
        return start(config, qualifier -> context, TlsChannelInitializer.DEFAULT_HANDSHAKE_TIMEOUT, memberRoles,
                connections);
    }

    /**
     * Removes {@code member} from the cluster now instead of after the failure detector's timeout. On the master
     * this publishes a member list without it; elsewhere it is a suspicion, which the master (or a mastership
     * claim, when the suspect is the master) settles. Hazelcast has no public API for this.
     */
    public static void evict(HazelcastInstance hz, Member member, String reason) {
        if (member.localMember()) {
            throw new IllegalArgumentException("a member cannot evict itself");
        }
        ((HazelcastInstanceProxy) hz).getOriginal().node.getClusterService().suspectMember(member, reason, true);
    }

    /**
     * Starts a member whose member and client endpoints each have their own TLS identity and trust rule, so a
     * certificate trusted on the client port can never open a member connection. Needs the advanced network
     * config with a separate client endpoint; every other endpoint (member, WAN, REST) uses
     * {@code memberContext}.
     */
    public static HazelcastInstance newMember(Config config, SSLContext memberContext, SSLContext clientContext) {
        Objects.requireNonNull(memberContext, "memberContext");
        Objects.requireNonNull(clientContext, "clientContext");
        if (!config.getAdvancedNetworkConfig().isEnabled()
                || !config.getAdvancedNetworkConfig().getEndpointConfigs().containsKey(EndpointQualifier.CLIENT)) {
            throw new IllegalArgumentException(
                    "separate member and client TLS needs the advanced network config with a client endpoint");
        }
        return start(config,
                qualifier -> qualifier.getType() == ProtocolType.CLIENT ? clientContext : memberContext,
                TlsChannelInitializer.DEFAULT_HANDSHAKE_TIMEOUT, null, TlsConnections.acceptingAll());
    }

    private static HazelcastInstance start(Config config, Function<EndpointQualifier, SSLContext> contexts,
                                           Duration handshakeTimeout, Set<String> memberRoles,
                                           TlsConnections connections) {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()
                || config.getAdvancedNetworkConfig().getJoin().getMulticastConfig().isEnabled()) {
            throw new IllegalArgumentException("multicast discovery is plain UDP: turn it off for a TLS member");
        }
        if (config.getTpcConfig().isEnabled()) {
            throw new IllegalArgumentException("thread-per-core networking bypasses the TLS layer: turn it off");
        }
        return HazelcastInstanceFactory.newHazelcastInstance(config, config.getInstanceName(),
                new TlsNodeContext(contexts, handshakeTimeout, memberRoles, connections));
    }

    private static final class TlsNodeContext extends DefaultNodeContext {
        private final Function<EndpointQualifier, SSLContext> contexts;
        private final Duration handshakeTimeout;
        private final Set<String> memberRoles;
        private final TlsConnections connections;

        TlsNodeContext(Function<EndpointQualifier, SSLContext> contexts, Duration handshakeTimeout,
                       Set<String> memberRoles, TlsConnections connections) {
            this.connections = connections;
            this.contexts = contexts;
            this.handshakeTimeout = handshakeTimeout;
            this.memberRoles = memberRoles;
        }

        @Override
        public NodeExtension createNodeExtension(Node node) {
            return new TlsNodeExtension(node, contexts, handshakeTimeout, memberRoles, connections);
        }
    }

    private static final class TlsNodeExtension extends DefaultNodeExtension {
        private final Function<EndpointQualifier, SSLContext> contexts;
        private final Duration handshakeTimeout;
        private final Set<String> memberRoles;
        private final TlsConnections connections;

        TlsNodeExtension(Node node, Function<EndpointQualifier, SSLContext> contexts, Duration handshakeTimeout,
                         Set<String> memberRoles, TlsConnections connections) {
            super(node);
            this.connections = connections;
            this.contexts = contexts;
            this.handshakeTimeout = handshakeTimeout;
            this.memberRoles = memberRoles;
        }

        /** Every endpoint's channel initializer, wrapped in TLS with that endpoint's SSLContext. */
        @Override
        public Function<EndpointQualifier, ChannelInitializer> createChannelInitializerFn(ServerContext serverContext) {
            Function<EndpointQualifier, ChannelInitializer> plain = super.createChannelInitializerFn(serverContext);
            return qualifier -> {
                ChannelInitializer initializer = plain.apply(qualifier);
                return initializer == null
                        ? null
                        : new TlsChannelInitializer(initializer, contexts.apply(qualifier), handshakeTimeout,
                                memberRoles, connections);
            };
        }
    }
}
