package org.planetarymesh.security.tls;

import static com.hazelcast.internal.networking.HandlerStatus.BLOCKED;
import static com.hazelcast.internal.networking.HandlerStatus.CLEAN;
import static com.hazelcast.internal.networking.HandlerStatus.DIRTY;

import com.hazelcast.internal.networking.HandlerStatus;
import com.hazelcast.internal.networking.OutboundHandler;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Last handler of the outbound pipeline: encrypts what the previous handler produced into the send
 * buffer (this handler's dst, read mode, one TLS record large). Until the handshake is done it sends only
 * handshake messages and, while waiting on the peer, returns BLOCKED so the pipeline sleeps until the
 * inbound side wakes it (DIRTY would spin an I/O thread).
 */
final class TlsOutboundHandler extends OutboundHandler<ByteBuffer, ByteBuffer> {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final TlsSession session;

    TlsOutboundHandler(TlsSession session) {
        this.session = session;
    }

    @Override
    public void handlerAdded() {
        initDstBuffer(session.packetBufferSize());
    }

    @Override
    public HandlerStatus onWrite() throws Exception {
        session.checkDeadline();
        dst.compact();
        try {
            for (;;) {
                HandshakeStatus before = session.engine().getHandshakeStatus();
                if (before == HandshakeStatus.NEED_TASK) {
                    session.runDelegatedTasks();
                    return BLOCKED; // woken when the tasks are done
                }
                boolean done = session.handshakeDone();
                if (!done && (before == HandshakeStatus.NEED_UNWRAP || before == HandshakeStatus.NEED_UNWRAP_AGAIN)) {
                    return BLOCKED; // the peer's turn; the inbound side wakes us
                }
                ByteBuffer plaintext = done && src != null ? src : NOTHING;
                if (before == HandshakeStatus.NOT_HANDSHAKING && !plaintext.hasRemaining()) {
                    return CLEAN;
                }
                SSLEngineResult result = wrap(plaintext);
                switch (result.getStatus()) {
                    case BUFFER_OVERFLOW:
                        return DIRTY; // the send buffer must drain to the socket first
                    case CLOSED:
                        throw session.refuse("TLS session closed", null);
                    default:
                        break;
                }
                session.afterWrap(before, result);
                if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                        && result.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                    return session.handshakeDone() ? CLEAN : BLOCKED;
                }
            }
        } finally {
            dst.flip();
        }
    }

    private SSLEngineResult wrap(ByteBuffer plaintext) throws Exception {
        try {
            return session.engine().wrap(plaintext, dst);
        } catch (SSLException e) {
            throw session.refuse(session.handshakeDone() ? "TLS error" : "TLS handshake failed", e);
        }
    }
}
