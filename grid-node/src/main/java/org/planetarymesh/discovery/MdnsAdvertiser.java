package org.planetarymesh.discovery;

import java.io.IOException;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import javax.jmdns.impl.ServiceInfoImpl;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator's advert on mDNS: {@value MdnsSession#SERVICE_TYPE} with its member port, and its
 * {@link TxtRecord}. The advert only says where to connect; it proves nothing (docs/adr/0015).
 */
public final class MdnsAdvertiser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsAdvertiser.class);
    /** A new session's advert is fully announced about 7 s after the session opened (measured on loopback). */
    private static final long ANNOUNCED_WITHIN_MILLIS = 15_000;

    private final JmDNS jmdns;
    private final ServiceInfo info;
    private final int port;
    private CoordinatorAdvert advert;
    private boolean textPending;

    MdnsAdvertiser(JmDNS jmdns, CoordinatorAdvert advert, int port) {
        CoordinatorAdvert.requirePort(port);
        this.jmdns = jmdns;
        this.advert = advert;
        this.port = port;
        this.info = ServiceInfo.create(MdnsSession.SERVICE_TYPE, MdnsNames.instanceName(advert.node()), port, 0, 0,
                TxtRecord.of(advert));
        try {
            jmdns.registerService(info);
        } catch (IOException e) {
            throw new MeshException("cannot advertise coordinator " + advert.node() + " on mDNS: " + e.getMessage(), e);
        }
        LOG.info("mdns advertising coordinator node={} mesh={} ca={} port={}", advert.node(), advert.mesh(),
                advert.caFingerprint().orElse("none"), port);
    }

    /**
     * Adds (or changes) the enrollment port in the advert. Browsers see the new TXT record about a second after the
     * advert is announced, which takes up to about 7 s on a new session; better put the port in the advert given
     * to {@link MdnsSession#advertise} when it is known by then.
     */
    public synchronized void enrollPort(int enrollPort) {
        advert = advert.withEnrollPort(enrollPort);
        LOG.info("mdns advert updated node={} enroll={}", advert.node(), enrollPort);
        // JmDNS 3.6.1: changing the TXT record before the advert is announced stops the announcement for good (the
        // advert never reaches "announced" and the change is never sent; measured), so the change waits for it.
        // JmDNS's API has no announced state; its implementation class has.
        if (!(info instanceof ServiceInfoImpl impl) || impl.isAnnounced()) {
            info.setText(TxtRecord.of(advert));
        } else if (!textPending) {
            textPending = true;
            Thread later = new Thread(() -> announceTextWhenAnnounced(impl), "mdns-advert-text");
            later.setDaemon(true);
            later.start();
        }
    }

    private void announceTextWhenAnnounced(ServiceInfoImpl impl) {
        boolean announced = impl.waitForAnnounced(ANNOUNCED_WITHIN_MILLIS);
        synchronized (this) {
            textPending = false;
            if (announced) {
                info.setText(TxtRecord.of(advert));
            } else {
                LOG.warn("mdns advert not announced within {} ms node={}: its TXT record keeps the old enroll port",
                        ANNOUNCED_WITHIN_MILLIS, advert.node());
            }
        }
    }

    public synchronized CoordinatorAdvert advert() {
        return advert;
    }

    public int port() {
        return port;
    }

    /**
     * Withdraws the advert with a goodbye packet; takes about 2 s. Browsers drop it when their cache next expires
     * records, within about 10 s (JmDNS reaps its cache every 10 s).
     */
    @Override
    public void close() {
        jmdns.unregisterService(info);
        LOG.info("mdns advert withdrawn node={}", advert().node());
    }
}
