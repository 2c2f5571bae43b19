package org.planetarymesh.security.tls;

import static com.hazelcast.internal.networking.HandlerStatus.CLEAN;
import static com.hazelcast.internal.networking.HandlerStatus.DIRTY;

import com.hazelcast.internal.networking.HandlerStatus;
import com.hazelcast.internal.networking.InboundHandler;
import java.io.EOFException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * First handler of the inbound pipeline: decrypts TLS records into the next handler's buffer.
 *
 * <p>Its source buffer is the socket receive buffer (the pipeline reads into the first handler's src): it
 * holds one full TLS record from the start and is never reallocated. The next handler's buffer may be
 * tiny (Hazelcast's protocol decoders take 3 bytes), so decrypted bytes wait in an own plaintext buffer and
 * are handed on piecewise; the pipeline calls again while this returns DIRTY.
 */
final class TlsInboundHandler extends InboundHandler<ByteBuffer, ByteBuffer> {

    /** TLS record type of a handshake message: the first byte either side sends... */
    private static final byte HANDSHAKE_RECORD = 0x16;
    /** ...unless the peer refuses our hello at once with an alert. */
    private static final byte ALERT_RECORD = 0x15;

    private final TlsSession session;
    private boolean sawFirstByte;
    private boolean sawFirstPlaintext;
    /** Decrypted bytes not yet handed on; read mode. */
    private ByteBuffer plain;

    TlsInboundHandler(TlsSession session) {
        this.session = session;
    }

    @Override
    public void handlerAdded() {
        initSrcBuffer(session.packetBufferSize());
        plain = ByteBuffer.allocate(session.applicationBufferSize());
        plain.flip();
    }

    @Override
    public HandlerStatus onRead() throws Exception {
        session.checkDeadline();
        src.flip();
        try {
            if (!sawFirstByte && src.hasRemaining()) {
                sawFirstByte = true;
                byte first = src.get(0);
                if (first != HANDSHAKE_RECORD && first != ALERT_RECORD) {
                    // a plaintext Hazelcast peer sends a 3-byte header and waits: refuse now, not at the timeout
                    throw session.refuse("not a TLS handshake, plaintext connection?", null);
                }
            }
            boolean handedOn = false;
            for (;;) {
                if (plain.hasRemaining()) {
                    handedOn |= handOn();
                    if (plain.hasRemaining()) {
                        // the next handler is full: come back once it has consumed (only if it did consume)
                        return handedOn ? DIRTY : CLEAN;
                    }
                }
                if (session.engine().getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    session.runDelegatedTasks();
                    return handedOn ? DIRTY : CLEAN; // woken when the tasks are done
                }
                SSLEngineResult result = unwrap();
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW:
                        if (result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                            session.wakeWhoeverIsNeeded();
                        }
                        return handedOn ? DIRTY : CLEAN; // a partial record: wait for more bytes
                    case CLOSED:
                        throw session.refuse("peer closed the TLS session", null);
                    case BUFFER_OVERFLOW:
                        throw new IllegalStateException("plaintext buffer too small for one TLS record");
                    default:
                        break;
                }
                session.afterUnwrap(result);
                if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                        && result.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                    return handedOn ? DIRTY : CLEAN; // waiting on our own outbound side
                }
                // NEED_TASK: the top of the loop hands the tasks over
            }
        } finally {
            src.compact();
        }
    }

    private SSLEngineResult unwrap() throws Exception {
        plain.clear();
        try {
            return session.engine().unwrap(src, plain);
        } catch (SSLException e) {
            throw session.refuse(session.handshakeDone() ? "TLS error" : "TLS handshake failed", e);
        } finally {
            plain.flip();
        }
    }

    /** Moves as much plaintext as fits into the next handler's buffer (write mode); true if any moved. */
    private boolean handOn() throws EOFException {
        ByteBuffer next = dst;
        if (next == null || !next.hasRemaining()) {
            return false;
        }
        if (!sawFirstPlaintext) {
            sawFirstPlaintext = session.checkFirstPlaintext(plain);
        }
        int n = Math.min(plain.remaining(), next.remaining());
        int limit = plain.limit();
        plain.limit(plain.position() + n);
        next.put(plain);
        plain.limit(limit);
        return true;
    }
}
