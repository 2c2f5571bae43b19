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

    public TlsChannelInitializer(ChannelInitializer plain, SSLContext context, Duration handshakeTimeout) {
        this(plain, context, handshakeTimeout, null);
    }

    /**
     * @param memberProtocolRoles for a port that serves members and clients: an accepted connection that speaks
     *                            the member protocol must present a certificate of one of these roles
     *                            ({@link MeshRoles}); null: not checked
     */
    public TlsChannelInitializer(ChannelInitializer plain, SSLContext context, Duration handshakeTimeout,
                                 Set<String> memberProtocolRoles) {
        this.memberProtocolRoles = memberProtocolRoles;
        this.plain = Objects.requireNonNull(plain, "plain");
        this.context = Objects.requireNonNull(context, "context");
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    }

    @Override
    public void initChannel(Channel channel) throws Exception {
        TlsSession session = new TlsSession(channel, context, memberProtocolRoles);
        channel.inboundPipeline().addLast(new TlsInboundHandler(session));
        plain.initChannel(channel);
        channel.outboundPipeline().addLast(new TlsOutboundHandler(session));
        session.start(handshakeTimeout);
    }
}
