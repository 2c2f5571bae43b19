package org.planetarymesh.discovery;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinators of one mesh (its {@link MeshSelector}) that answer on mDNS, kept up to date while open: a
 * coordinator's advert appears when it is resolved and goes when it says goodbye. Adverts of other meshes or
 * CAs are kept apart, only to explain an empty result.
 */
public final class MdnsBrowser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsBrowser.class);

    private final JmDNS jmdns;
    private final MeshSelector selector;
    private final String where;
    private final ServiceListener listener = new Listener();
    /** By lowercase instance name; guarded by this. */
    private final Map<String, FoundCoordinator> found = new LinkedHashMap<>();
    private final Map<String, CoordinatorAdvert> ignored = new LinkedHashMap<>();
    private boolean closed;

    MdnsBrowser(JmDNS jmdns, MeshSelector selector, String where) {
        this.jmdns = jmdns;
        this.selector = selector;
        this.where = where;
        jmdns.addServiceListener(MdnsSession.SERVICE_TYPE, listener);
    }

    public MeshSelector selector() {
        return selector;
    }

    /** The matching coordinators known now, in the order they were found. */
    public synchronized List<FoundCoordinator> coordinators() {
        return List.copyOf(found.values());
    }

    /** Coordinator adverts seen that the selector refused (another mesh or CA). */
    public synchronized List<CoordinatorAdvert> ignored() {
        return List.copyOf(ignored.values());
    }

    /** The matching coordinators as soon as there is one, or none after {@code timeout}. */
    public List<FoundCoordinator> await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (found.isEmpty() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return List.copyOf(found.values());
        }
    }

    /**
     * As {@link #await}, and none is an error that says what was looked for, where, and what to do instead.
     *
     * @throws MeshException if no matching coordinator answered within {@code timeout}
     */
    public List<FoundCoordinator> require(Duration timeout) {
        try {
            List<FoundCoordinator> coordinators = await(timeout);
            if (coordinators.isEmpty()) {
                throw new MeshException(selector.noneFound(where, timeout, ignored()));
            }
            return coordinators;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted while looking for a coordinator of " + selector.describe());
        }
    }

    @Override
    public void close() {
        jmdns.removeServiceListener(MdnsSession.SERVICE_TYPE, listener);
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    private synchronized void resolved(String instance, ServiceInfo info) {
        Optional<CoordinatorAdvert> advert = TxtRecord.parse(txt(info));
        Optional<String> host = address(info);
        // JmDNS reports partial resolutions too (no TXT yet, no address yet); a later event completes them.
        if (advert.isEmpty() || host.isEmpty() || closed || info.getPort() < 1 || info.getPort() > 65535) {
            return;
        }
        String key = instance.toLowerCase(Locale.ROOT);
        if (selector.matches(advert.get())) {
            FoundCoordinator coordinator = new FoundCoordinator(host.get(), info.getPort(), advert.get());
            FoundCoordinator before = found.put(key, coordinator);
            if (!coordinator.equals(before)) {
                LOG.info("mdns coordinator found node={} address={} mesh={} enroll={}", advert.get().node(),
                        coordinator.hostPort(), advert.get().mesh(),
                        advert.get().enrollPort().isPresent() ? advert.get().enrollPort().getAsInt() : "none");
            }
            notifyAll();
        } else if (!advert.get().equals(ignored.put(key, advert.get()))) {
            // Another mesh on the LAN is normal; our mesh's name with another CA (or none) is likely a mistake.
            boolean sameName = advert.get().mesh().equals(selector.mesh());
            if (sameName || LOG.isDebugEnabled()) {
                String line = "mdns coordinator ignored node={} address={}:{} it={} wanted={}";
                Object[] args = {advert.get().node(), host.get(), info.getPort(),
                    new MeshSelector(advert.get().mesh(), advert.get().caFingerprint()).describe(), selector.describe()};
                if (sameName) {
                    LOG.info(line, args);
                } else {
                    LOG.debug(line, args);
                }
            }
        }
    }

    private synchronized void removed(String instance) {
        String key = instance.toLowerCase(Locale.ROOT);
        FoundCoordinator gone = found.remove(key);
        ignored.remove(key);
        if (gone != null) {
            LOG.info("mdns coordinator gone node={} address={}", gone.advert().node(), gone.hostPort());
        }
    }

    private static Map<String, String> txt(ServiceInfo info) {
        Map<String, String> txt = new LinkedHashMap<>();
        for (String name : Collections.list(info.getPropertyNames())) {
            txt.put(name, Objects.toString(info.getPropertyString(name), ""));
        }
        return txt;
    }

    /** IPv4 first: the mesh binds one address per node, and LANs mostly use IPv4. */
    private static Optional<String> address(ServiceInfo info) {
        List<InetAddress> addresses = new ArrayList<>(List.of(info.getInet4Addresses()));
        addresses.addAll(List.of(info.getInet6Addresses()));
        return addresses.stream().findFirst().map(InetAddress::getHostAddress);
    }

    private final class Listener implements ServiceListener {
        @Override
        public void serviceAdded(ServiceEvent event) {
            // The added event carries no SRV/TXT yet: ask for them; serviceResolved follows. Persistent, so a later
            // change of the TXT record (an enrollment port) is resolved again. Waits at most 1 ms here (the
            // three-argument overload ignores its timeout and waits up to 6 s).
            event.getDNS().requestServiceInfo(event.getType(), event.getName(), true, 1);
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            removed(event.getName());
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            resolved(event.getName(), event.getInfo());
        }
    }
}
