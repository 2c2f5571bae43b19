package org.planetarymesh.security.tls;

import com.hazelcast.internal.networking.Channel;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The TLS state of one channel, shared by its inbound handler (reads, on one I/O thread) and its
 * outbound handler (writes, on another). {@link SSLEngine} allows a concurrent wrap and unwrap; the
 * handshake flag is volatile, and each side wakes the other pipeline when it made progress the other
 * may be waiting for.
 */
final class TlsSession {

    private static final TlsLog LOG = TlsLog.forClass(TlsSession.class);

    /** One daemon thread for all handshake deadlines in the JVM; cancelled tasks are removed. */
    private static final ScheduledExecutorService DEADLINES = deadlineTimer();
    /** Up to two daemon threads for the engines' delegated tasks, so certificate checks leave the I/O threads. */
    private static final ExecutorService HANDSHAKE_TASKS = handshakeTaskPool();
    /** Hazelcast's member protocol header, the first bytes a member sends on a new connection. */
    private static final byte[] MEMBER_PROTOCOL = "HZC".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final SSLEngine engine;
    private volatile boolean handshakeDone;
    /** Why this side is closing the channel (handshake timeout, peer now denied); the reader throws it. */
    private volatile String closing;
    private volatile X509Certificate peerCertificate;
    private final TlsConnections connections;
    private volatile boolean refused;
    private final AtomicBoolean tasksRunning = new AtomicBoolean();
    private volatile long startedNanos;
    /** What the two handlers hold for this channel: receive and send buffer of one record each, plaintext. */
    private final int bufferBytes;
    private volatile ScheduledFuture<?> deadline;
    private final Set<String> memberProtocolRoles;

    TlsSession(Channel channel, SSLContext context) {
        this(channel, context, null, TlsConnections.acceptingAll());
    }

    /**
     * @param memberProtocolRoles on an accepted channel whose first plaintext bytes are Hazelcast's member
     *                            protocol header, the peer's certificate must carry one of these roles; null: not
     *                            checked
     * @param connections         where the channel is tracked once its peer is verified
     */
    TlsSession(Channel channel, SSLContext context, Set<String> memberProtocolRoles, TlsConnections connections) {
        this.channel = channel;
        this.connections = connections;
        this.memberProtocolRoles = memberProtocolRoles == null ? null : Set.copyOf(memberProtocolRoles);
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
        channel.addCloseListener(closed -> {
            cancelDeadline();
            connections.closed(this);
        });
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
     * Hands the engine's delegated tasks (certificate path checks, key agreement) to a small pool off the I/O
     * threads; both pipelines are woken when they are done. Until then the engine reports NEED_TASK and the
     * handlers wait. At most one batch runs per channel.
     */
    void runDelegatedTasks() {
        if (!tasksRunning.compareAndSet(false, true)) {
            return;
        }
        HANDSHAKE_TASKS.execute(() -> {
            try {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } finally {
                tasksRunning.set(false);
                channel.inboundPipeline().wakeup();
                channel.outboundPipeline().wakeup();
            }
        });
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

    /** The peer's verified certificate once the handshake is done; null before. */
    X509Certificate peerCertificate() {
        return peerCertificate;
    }

    /**
     * Closes the channel for {@code reason} through Hazelcast's own path: the next read throws the refusal
     * (logged once), and Hazelcast's error handler closes the connection and tells its listeners.
     */
    void closeBecause(String reason) {
        if (!channel.isClosed() && closing == null) {
            closing = reason;
            channel.inboundPipeline().wakeup();
        }
    }

    private void finished() {
        if (!handshakeDone) {
            handshakeDone = true;
            cancelDeadline();
            try {
                peerCertificate = (X509Certificate) engine.getSession().getPeerCertificates()[0];
                connections.opened(this);
            } catch (SSLPeerUnverifiedException e) {
                closeBecause("the peer presented no certificate");
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("TLS handshake done on " + channel + " in " + (System.nanoTime() - startedNanos) / 1_000_000
                        + " ms (" + engine.getSession().getProtocol() + ", " + engine.getSession().getCipherSuite()
                        + "); TLS buffers " + bufferBytes + " bytes");
            }
        }
        channel.outboundPipeline().wakeup();
        channel.inboundPipeline().wakeup();
    }

    /**
     * Called with the first decrypted bytes of the channel (read mode, not consumed). On a port that serves
     * members and clients the handshake cannot tell them apart; the protocol header can: an accepted channel
     * that speaks the member protocol needs a peer certificate of a member role.
     */
    boolean checkFirstPlaintext(ByteBuffer plain) throws EOFException {
        if (memberProtocolRoles == null || channel.isClientMode()) {
            return true;
        }
        if (!plain.hasRemaining()) {
            return false; // nothing decrypted yet: decide on the first bytes that come
        }
        // A Hazelcast peer writes its 3-byte protocol header at once, so it arrives in one TLS record; a peer
        // that splits it could otherwise slip a member header past this check one byte at a time.
        if (plain.remaining() < MEMBER_PROTOCOL.length) {
            throw refuse("first message shorter than a protocol header", null);
        }
        for (int i = 0; i < MEMBER_PROTOCOL.length; i++) {
            if (plain.get(plain.position() + i) != MEMBER_PROTOCOL[i]) {
                return true;
            }
        }
        List<String> roles;
        String subject;
        try {
            X509Certificate peer = (X509Certificate) engine.getSession().getPeerCertificates()[0];
            roles = MeshRoles.rolesOf(peer);
            subject = peer.getSubjectX500Principal().toString();
        } catch (SSLPeerUnverifiedException e) {
            throw refuse("member protocol from an unverified peer", e);
        }
        if (roles.size() != 1 || !memberProtocolRoles.contains(roles.get(0))) {
            throw refuse("member protocol refused: the connecting peer's certificate " + subject
                    + (roles.isEmpty() ? " carries no mesh role" : " has the role " + String.join(", ", roles))
                    + "; members must be " + String.join(" or ", new TreeSet<>(memberProtocolRoles)), null);
        }
        return true;
    }

    /** Throws the refusal if the handshake deadline passed or the peer is now refused. Called on the I/O threads. */
    void checkDeadline() throws EOFException {
        String reason = closing;
        if (reason != null) {
            throw refuse(reason, null);
        }
    }

    private void onDeadline() {
        if (!handshakeDone && !channel.isClosed()) {
            // the inbound handler notices the reason and fails the channel through Hazelcast's error handler
            closeBecause("TLS handshake not done within the timeout");
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
        String certificateFailure = CertificateFailures.of(engine);
        String detail = cause != null ? reason + ": " + cause.getMessage()
                : certificateFailure != null ? reason + ": " + certificateFailure : reason;
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

    private static ExecutorService handshakeTaskPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tls-handshake-tasks");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
