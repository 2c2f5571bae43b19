package org.planetarymesh.enroll;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.planetarymesh.security.tls.PemIdentity;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrollment endpoint of a coordinator: a small TLS 1.3 server on its own port, apart from Hazelcast's,
 * answering one {@link EnrollmentRequest} per connection with one {@link EnrollmentResponse}.
 *
 * <p>It presents the coordinator's certificate (chained to the mesh CA, which a joining node pins by the
 * fingerprint in its token). It asks for a client certificate but does not require one: a new node has none
 * and enrolls with a token; a node renewing presents its current one. Bounds: requests over
 * {@value EnrollmentWire#MAX_MESSAGE_BYTES} bytes are refused, each read waits at most {@link #READ_TIMEOUT}
 * and a whole connection, handshake included, {@link #CONNECTION_DEADLINE} (then it is closed, so a peer that
 * trickles bytes cannot hold a worker); {@value #WORKERS} workers with {@value #QUEUE} waiting connections,
 * beyond which a connection is closed at once. The handshake runs on a worker, never on the accepting thread.
 * Each request is logged in one line: request, token id, node, peer address, outcome.
 */
public final class EnrollmentServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentServer.class);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CONNECTION_DEADLINE = Duration.ofSeconds(20);
    static final int WORKERS = 2;
    static final int QUEUE = 16;
    private static final int DRAIN_BYTES = 256 * 1024;

    private final SSLServerSocket socket;
    private final EnrollmentService service;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final ScheduledExecutorService deadlines;
    private final Set<SSLSocket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requestsRead = new AtomicInteger();

    private final Duration connectionDeadline;

    private EnrollmentServer(SSLServerSocket socket, EnrollmentService service, Duration connectionDeadline) {
        this.socket = socket;
        this.connectionDeadline = connectionDeadline;
        this.service = service;
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> daemon(r, "mesh-enroll-" + threads.incrementAndGet()));
        this.acceptor = daemon(this::acceptLoop, "mesh-enroll-accept");
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mesh-enroll-deadline"));
    }

    /**
     * Listens on {@code bindAddress:port} (port 0: any free port) with {@code context}, which must present the
     * coordinator's certificate and trust the mesh CA only.
     *
     * @throws MeshException if the port cannot be bound
     */
    public static EnrollmentServer start(InetAddress bindAddress, int port, SSLContext context,
                                         EnrollmentService service) {
        return start(bindAddress, port, context, service, CONNECTION_DEADLINE);
    }

    /** As {@link #start(InetAddress, int, SSLContext, EnrollmentService)}, with another connection deadline. */
    static EnrollmentServer start(InetAddress bindAddress, int port, SSLContext context, EnrollmentService service,
                                  Duration connectionDeadline) {
        SSLServerSocket socket;
        try {
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bindAddress, port), QUEUE);
        } catch (IOException e) {
            throw new MeshException("cannot listen for enrollment on " + bindAddress.getHostAddress() + ":" + port
                    + ": " + e.getMessage(), e);
        }
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {PemIdentity.TLS_1_3});
        parameters.setWantClientAuth(true);
        socket.setSSLParameters(parameters);
        EnrollmentServer server = new EnrollmentServer(socket, service, connectionDeadline);
        server.acceptor.start();
        LOG.info("enrollment endpoint listening on {}:{} mesh CA {}", bindAddress.getHostAddress(),
                socket.getLocalPort(), service.ca().fingerprint());
        return server;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Requests read so far (complete messages, whatever their outcome); tests use it to see what arrived. */
    int requestsRead() {
        return requestsRead.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            SSLSocket connection;
            try {
                connection = (SSLSocket) socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("enrollment endpoint cannot accept: {}", e.getMessage());
                }
                continue;
            }
            try {
                workers.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                LOG.warn("enroll refused from={} reason=busy ({} connections waiting)", peer(connection), QUEUE);
                closeQuietly(connection);
            }
        }
    }

    private void serve(SSLSocket connection) {
        long started = System.nanoTime();
        String from = peer(connection);
        AtomicBoolean pastDeadline = new AtomicBoolean();
        open.add(connection);
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            pastDeadline.set(true);
            closeQuietly(connection);
        }, connectionDeadline.toMillis(), TimeUnit.MILLISECONDS);
        try (connection) {
            connection.setSoTimeout((int) READ_TIMEOUT.toMillis());
            try {
                connection.startHandshake();
            } catch (IOException e) {
                LOG.warn("enroll handshake failed from={} reason={}", from, pastDeadline.get()
                        ? "not done within " + connectionDeadline.toMillis() + " ms" : e.getMessage());
                return;
            }
            EnrollmentRequest request;
            try {
                byte[] line = EnrollmentWire.readLine(connection.getInputStream(),
                        EnrollmentWire.deadline(connectionDeadline));
                requestsRead.incrementAndGet();
                request = EnrollmentWire.JSON.readValue(line, EnrollmentRequest.class);
            } catch (EnrollmentWire.TooLargeException e) {
                refuse(connection, from, "request larger than " + EnrollmentWire.MAX_MESSAGE_BYTES / 1024 + " KiB");
                drain(connection);
                return;
            } catch (JsonProcessingException e) {
                refuse(connection, from, "malformed request: one JSON object on one line expected");
                return;
            }
            EnrollmentService.Outcome outcome = service.handle(request, clientCertificate(connection));
            EnrollmentWire.write(connection.getOutputStream(), outcome.response());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (outcome.issued()) {
                LOG.info("enroll request={} token={} node={} from={} outcome={} ms={}", request.type(),
                        outcome.tokenId(), outcome.node(), from, outcome.outcome(), millis);
            } else {
                LOG.warn("enroll request={} token={} node={} from={} outcome={} ms={}", request.type(),
                        outcome.tokenId(), outcome.node(), from, outcome.outcome(), millis);
            }
        } catch (SocketTimeoutException e) {
            LOG.warn("enroll refused from={} reason=no complete request within {}s", from,
                    READ_TIMEOUT.toSeconds());
        } catch (IOException e) {
            // The network or the peer: one line, no trace.
            LOG.warn("enroll connection failed from={} reason={}", from,
                    pastDeadline.get() ? "no complete request within " + connectionDeadline.toMillis() + " ms"
                            : e.toString());
        } catch (RuntimeException e) {
            // Not an expected refusal: the trace is worth having.
            LOG.warn("enroll failed from={} reason={}", from, e.toString(), e);
        } finally {
            deadline.cancel(false);
            open.remove(connection);
        }
    }

    private static void refuse(SSLSocket connection, String from, String reason) throws IOException {
        LOG.warn("enroll request=- token=- node=- from={} outcome=refused: {}", from, reason);
        EnrollmentWire.write(connection.getOutputStream(), EnrollmentResponse.refused(reason));
    }

    /**
     * Reads what is left of a refused request (at most {@value #DRAIN_BYTES} bytes) until the client closes:
     * closing with unread bytes would reset the connection, and the client might lose the refusal.
     */
    private static void drain(SSLSocket connection) throws IOException {
        byte[] buffer = new byte[4096];
        int left = DRAIN_BYTES;
        for (int read = 0; read >= 0 && left > 0; left -= Math.max(read, 0)) {
            read = connection.getInputStream().read(buffer);
        }
    }

    private static X509Certificate clientCertificate(SSLSocket connection) {
        try {
            Certificate[] chain = connection.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate: an enrollment with a token
        }
    }

    private static String peer(SSLSocket connection) {
        InetSocketAddress address = (InetSocketAddress) connection.getRemoteSocketAddress();
        return address == null ? "-" : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(SSLSocket connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // closing a connection we refuse: nothing more to do
        }
    }

    /** Stops accepting and closes the connections still open. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.warn("enrollment endpoint close: {}", e.getMessage());
        }
        open.forEach(EnrollmentServer::closeQuietly);
        workers.shutdown();
        deadlines.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("enrollment endpoint stopped port={}", socket.getLocalPort());
    }
}
