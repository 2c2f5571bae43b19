package org.planetarymesh.security.tls;

import com.hazelcast.internal.networking.Channel;
import java.io.EOFException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS state of one channel, shared by its inbound handler (reads, on one I/O thread) and its
 * outbound handler (writes, on another). {@link SSLEngine} allows a concurrent wrap and unwrap; the
 * handshake flag is volatile, and each side wakes the other pipeline when it made progress the other
 * may be waiting for.
 */
final class TlsSession {

    private static final Logger LOG = LoggerFactory.getLogger(TlsSession.class);

    /** One daemon thread for all handshake deadlines in the JVM; cancelled tasks are removed. */
    private static final ScheduledExecutorService DEADLINES = deadlineTimer();

    private final Channel channel;
    private final SSLEngine engine;
    private volatile boolean handshakeDone;
    private volatile String timedOut;
    private volatile boolean refused;
    private volatile long startedNanos;
    /** What the two handlers hold for this channel: receive and send buffer of one record each, plaintext. */
    private final int bufferBytes;
    private volatile ScheduledFuture<?> deadline;

    TlsSession(Channel channel, SSLContext context) {
        this.channel = channel;
        this.engine = context.createSSLEngine();
        engine.setUseClientMode(channel.isClientMode());
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        if (!channel.isClientMode()) {
            engine.setNeedClientAuth(true);
        }
        this.bufferBytes = 2 * packetBufferSize() + applicationBufferSize();
    }

    /** Starts the handshake clock; a client-mode engine is told to begin (its first wrap sends the hello). */
    void start(Duration handshakeTimeout) throws Exception {
        startedNanos = System.nanoTime();
        engine.beginHandshake();
        deadline = DEADLINES.schedule(this::onDeadline, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.addCloseListener(closed -> cancelDeadline());
    }

    SSLEngine engine() {
        return engine;
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    int packetBufferSize() {
        return engine.getSession().getPacketBufferSize();
    }

    int applicationBufferSize() {
        return engine.getSession().getApplicationBufferSize();
    }

    /**
     * Runs the engine's delegated tasks (certificate checks) on the calling I/O thread, then wakes the
     * pipeline whose turn it is: the engine may now want to send, or to read bytes already buffered.
     */
    void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        wakeWhoeverIsNeeded();
    }

    /** Wakes the outbound pipeline if the engine needs to send, the inbound one if it needs to read. */
    void wakeWhoeverIsNeeded() {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> channel.outboundPipeline().wakeup();
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> channel.inboundPipeline().wakeup();
            default -> { }
        }
    }

    /** Called by the inbound handler after each unwrap. */
    void afterUnwrap(SSLEngineResult result) {
        HandshakeStatus hs = result.getHandshakeStatus();
        if (hs == HandshakeStatus.FINISHED) {
            finished();
        } else if (hs == HandshakeStatus.NEED_WRAP) {
            channel.outboundPipeline().wakeup();
        }
    }

    /** Called by the outbound handler after each wrap; {@code before} is the engine state before it. */
    void afterWrap(HandshakeStatus before, SSLEngineResult result) {
        HandshakeStatus hs = result.getHandshakeStatus();
        if (hs == HandshakeStatus.FINISHED) {
            finished();
        } else if (before != HandshakeStatus.NOT_HANDSHAKING || hs != HandshakeStatus.NOT_HANDSHAKING) {
            // a handshake step (or a post-handshake message) went out: the reader may be waiting on it
            channel.inboundPipeline().wakeup();
        }
    }

    private void finished() {
        if (!handshakeDone) {
            handshakeDone = true;
            cancelDeadline();
            if (LOG.isDebugEnabled()) {
                LOG.debug("TLS handshake done on {} in {} ms ({}, {}); TLS buffers {} bytes", channel,
                        (System.nanoTime() - startedNanos) / 1_000_000, engine.getSession().getProtocol(),
                        engine.getSession().getCipherSuite(), bufferBytes);
            }
        }
        channel.outboundPipeline().wakeup();
        channel.inboundPipeline().wakeup();
    }

    /** Throws the refusal if the handshake deadline passed. Called on the I/O threads. */
    void checkDeadline() throws EOFException {
        String reason = timedOut;
        if (reason != null) {
            throw refuse(reason, null);
        }
    }

    private void onDeadline() {
        if (!handshakeDone && !channel.isClosed()) {
            timedOut = "TLS handshake not done within the timeout";
            // the inbound handler notices the flag and fails the channel through Hazelcast's error handler
            channel.inboundPipeline().wakeup();
        }
    }

    private void cancelDeadline() {
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
    }

    /**
     * Logs why this side refuses the channel (one line, no stack trace: an unknown CA or a plaintext peer
     * is expected, not a bug) and returns the exception that makes Hazelcast close the connection. It is an
     * {@link EOFException} so Hazelcast closes quietly too. Hazelcast closes the socket at once, with no
     * close_notify or alert: the peer only sees the connection closed, hence the log here.
     */
    EOFException refuse(String reason, Throwable cause) {
        cancelDeadline();
        String detail = cause == null ? reason : reason + ": " + cause.getMessage();
        if (refused) {
            return new EOFException("TLS refused: " + detail); // logged once per channel already
        }
        refused = true;
        String line = "TLS refused " + (channel.isClientMode() ? "connection to " : "connection from ")
                + channel.remoteSocketAddress() + " at " + channel.localSocketAddress() + ": " + detail;
        LOG.warn(line);
        TlsRefusals.record(line);
        EOFException e = new EOFException("TLS refused: " + detail);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static ScheduledExecutorService deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tls-handshake-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
