package org.planetarymesh.security.tls;

import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Wraps an {@link SSLContext} so that every {@link SSLEngine} it creates (one per TLS connection the TLS layer
 * opens or accepts) is recorded and watched from outside the TLS layer: records sent and received, and how often
 * the sending side changed its traffic key.
 *
 * <p>A key change is read off the record sequence numbers the engine reports for what it wraps
 * ({@link SSLEngineResult#sequenceNumber()}): TLS 1.3 numbers records per traffic key from 0, so once application
 * data flows, the number dropping back means the engine moved to a new sending key, which after the handshake only
 * a KeyUpdate does (RFC 8446, 4.6.3 and 5.3). The JDK (17) reports no sequence number for what it unwraps, so the
 * receiving side is seen through the peer's engine: watch both ends of a connection. The count is a lower bound:
 * a key that carried a single record before the next change is not seen.
 */
final class TlsEngineWatch {

    private final SSLContext context;
    private final List<Engine> engines = new CopyOnWriteArrayList<>();

    TlsEngineWatch(SSLContext delegate) {
        this.context = new SSLContext(new Spi(delegate, this::watch), delegate.getProvider(), delegate.getProtocol()) {
        };
    }

    /** The context to hand to {@link TlsMembers} or {@link TlsClients}. */
    SSLContext context() {
        return context;
    }

    /** Every engine created so far, oldest first. */
    List<Engine> engines() {
        return List.copyOf(engines);
    }

    private SSLEngine watch(SSLEngine engine) {
        Engine watched = new Engine(engine);
        engines.add(watched);
        return watched;
    }

    /** One connection's engine. Each direction is driven by one I/O thread at a time; the counters are read by others. */
    static final class Engine extends SSLEngine {
        private final SSLEngine delegate;
        private final Sent sent = new Sent();
        /** Unwrap calls that consumed ciphertext: about the records received. */
        private volatile long received;

        Engine(SSLEngine delegate) {
            super(delegate.getPeerHost(), delegate.getPeerPort());
            this.delegate = delegate;
        }

        /** Sending key changes after application data started: KeyUpdates this side initiated or answered. */
        long sendKeyChanges() {
            return sent.keyChanges;
        }

        /** The peer's certificate subject, once the handshake has verified it. */
        String peer() {
            try {
                return delegate.getSession().getPeerPrincipal().getName();
            } catch (SSLPeerUnverifiedException e) {
                return "(unverified)";
            }
        }

        @Override
        public String toString() {
            return (delegate.getUseClientMode() ? "client" : "server") + " engine with " + peer() + ": sent " + sent
                    + ", received " + received + " records";
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            SSLEngineResult result = delegate.wrap(srcs, offset, length, dst);
            sent.saw(result);
            return result;
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            SSLEngineResult result = delegate.unwrap(src, dsts, offset, length);
            if (result.bytesConsumed() > 0) {
                received++; // only the inbound pipeline's thread unwraps
            }
            return result;
        }

        @Override
        public Runnable getDelegatedTask() {
            return delegate.getDelegatedTask();
        }

        @Override
        public void closeInbound() throws SSLException {
            delegate.closeInbound();
        }

        @Override
        public boolean isInboundDone() {
            return delegate.isInboundDone();
        }

        @Override
        public void closeOutbound() {
            delegate.closeOutbound();
        }

        @Override
        public boolean isOutboundDone() {
            return delegate.isOutboundDone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return delegate.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            delegate.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return delegate.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return delegate.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            delegate.setEnabledProtocols(protocols);
        }

        @Override
        public SSLSession getSession() {
            return delegate.getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return delegate.getHandshakeSession();
        }

        @Override
        public void beginHandshake() throws SSLException {
            delegate.beginHandshake();
        }

        @Override
        public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            return delegate.getHandshakeStatus();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            delegate.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return delegate.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            delegate.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return delegate.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            delegate.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return delegate.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            delegate.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return delegate.getEnableSessionCreation();
        }

        @Override
        public SSLParameters getSSLParameters() {
            return delegate.getSSLParameters();
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            delegate.setSSLParameters(params);
        }

        @Override
        public String getApplicationProtocol() {
            return delegate.getApplicationProtocol();
        }

        @Override
        public String getHandshakeApplicationProtocol() {
            return delegate.getHandshakeApplicationProtocol();
        }
    }

    /** Sequence numbers of the records sent; written by the one thread that wraps, read by any. */
    private static final class Sent {
        volatile long records;
        volatile long keyChanges;
        private boolean applicationData;
        private long lastSequenceNumber = -1;

        void saw(SSLEngineResult result) {
            long sequenceNumber = result.sequenceNumber();
            if (sequenceNumber < 0) {
                return; // no record went through this call
            }
            records++;
            if (applicationData && sequenceNumber < lastSequenceNumber) {
                keyChanges++;
            }
            applicationData |= result.bytesConsumed() > 0;
            lastSequenceNumber = sequenceNumber;
        }

        @Override
        public String toString() {
            return records + " records, " + keyChanges + " key changes";
        }
    }

    /** Everything but engine creation goes to the wrapped context, which is initialised already. */
    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final UnaryOperator<SSLEngine> watch;

        Spi(SSLContext delegate, UnaryOperator<SSLEngine> watch) {
            this.delegate = delegate;
            this.watch = watch;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("the watched context is initialised already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return watch.apply(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return watch.apply(delegate.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }
}
