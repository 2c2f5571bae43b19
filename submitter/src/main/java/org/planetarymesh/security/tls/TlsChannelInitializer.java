package org.planetarymesh.security.tls;

import com.hazelcast.internal.networking.Channel;
import com.hazelcast.internal.networking.ChannelInitializer;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Wraps a Hazelcast channel initializer so the channel speaks TLS: the side that opened the TCP connection
 * is the TLS client, the accepting side requires a client certificate. Pipelines only have addLast and
 * replace, so the TLS inbound handler goes in before the wrapped initializer runs (it stays first) and the
 * outbound one after (it stays last).
 */
public final class TlsChannelInitializer implements ChannelInitializer {

    /** How long a new connection may take to finish its handshake before it is closed. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final ChannelInitializer plain;
    private final SSLContext context;
    private final Duration handshakeTimeout;
    private final Set<String> memberProtocolRoles;
    private final TlsConnections connections;

    public TlsChannelInitializer(ChannelInitializer plain, SSLContext context, Duration handshakeTimeout) {
        this(plain, context, handshakeTimeout, null, TlsConnections.acceptingAll());
    }

    /**
     * @param memberProtocolRoles for a port that serves members and clients: an accepted connection that speaks
     *                            the member protocol must present a certificate of one of these roles
     *                            ({@link MeshRoles}); null: not checked
     * @param connections         tracks the channel once its peer is verified, so it can be closed when the peer
     *                            is denied later
     */
    public TlsChannelInitializer(ChannelInitializer plain, SSLContext context, Duration handshakeTimeout,
                                 Set<String> memberProtocolRoles, TlsConnections connections) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.memberProtocolRoles = memberProtocolRoles;
        this.plain = Objects.requireNonNull(plain, "plain");
        this.context = Objects.requireNonNull(context, "context");
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    }

    @Override
    public void initChannel(Channel channel) throws Exception {
        TlsSession session = new TlsSession(channel, context, memberProtocolRoles, connections);
        channel.inboundPipeline().addLast(new TlsInboundHandler(session));
        plain.initChannel(channel);
        channel.outboundPipeline().addLast(new TlsOutboundHandler(session));
        session.start(handshakeTimeout);
    }
}
