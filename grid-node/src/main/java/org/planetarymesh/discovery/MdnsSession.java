package org.planetarymesh.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import javax.jmdns.JmDNS;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's mDNS responder and browser (one JmDNS), bound to the node's {@code --bind} address so adverts and
 * queries use the one interface the mesh uses. Coordinators {@linkplain #advertise advertise} on it; any node
 * {@linkplain #browse browses} on it.
 *
 * <p>A new session spends about 4 s probing for its own host name before its adverts are answered (JmDNS probes
 * at 1 s steps until the host is announced), so a coordinator opens its session before it starts its member.
 * Browsing answers at once. {@link #close()} sends goodbyes for the adverts and takes about 2 s.
 */
public final class MdnsSession implements AutoCloseable {
    /** The DNS-SD service type of coordinators. */
    public static final String SERVICE_TYPE = "_planetary-mesh._tcp.local.";

    private static final Logger LOG = LoggerFactory.getLogger(MdnsSession.class);

    private final JmDNS jmdns;
    private final InetAddress address;
    private final String where;

    private MdnsSession(JmDNS jmdns, InetAddress address, String where) {
        this.jmdns = jmdns;
        this.address = address;
        this.where = where;
    }

    /**
     * Starts mDNS on the interface of {@code bindHost} (an address of this machine, not a wildcard).
     *
     * @param nodeName the node's name; its host label in mDNS is made from it
     */
    public static MdnsSession open(String bindHost, String nodeName) {
        InetAddress address;
        try {
            address = InetAddress.getByName(bindHost);
        } catch (UnknownHostException e) {
            throw new MeshException("mDNS: unknown host " + bindHost);
        }
        if (address.isAnyLocalAddress()) {
            throw new MeshException("mDNS needs the address of one interface (--bind), not " + bindHost);
        }
        String where = describe(address);
        try {
            JmDNS jmdns = JmDNS.create(address, MdnsNames.hostLabel(nodeName));
            LOG.info("mdns started node={} interface={}", nodeName, where);
            return new MdnsSession(jmdns, address, where);
        } catch (IOException e) {
            throw new MeshException("cannot start mDNS on " + where + ": " + e.getMessage(), e);
        }
    }

    /** Advertises a coordinator whose member port is {@code port}, until the advertiser or this session is closed. */
    public MdnsAdvertiser advertise(CoordinatorAdvert advert, int port) {
        return new MdnsAdvertiser(jmdns, advert, port);
    }

    /** Starts collecting the coordinators that {@code selector} accepts, until the browser or session is closed. */
    public MdnsBrowser browse(MeshSelector selector) {
        return new MdnsBrowser(jmdns, selector, where);
    }

    public InetAddress address() {
        return address;
    }

    /** The interface as people know it, for messages: {@code eth0 (10.0.0.5)}. */
    public String where() {
        return where;
    }

    /** Withdraws this session's adverts (goodbye packets) and stops mDNS. */
    @Override
    public void close() {
        try {
            jmdns.close();
        } catch (IOException e) {
            LOG.warn("mdns close failed interface={} reason={}", where, e.toString());
        }
        LOG.info("mdns stopped interface={}", where);
    }

    private static String describe(InetAddress address) {
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(address);
            return (nic == null ? "?" : nic.getName()) + " (" + address.getHostAddress() + ")";
        } catch (SocketException e) {
            return address.getHostAddress();
        }
    }
}
