package org.planetarymesh.discovery.hazelcast;

import com.hazelcast.cluster.Address;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.planetarymesh.discovery.FoundCoordinator;
import org.planetarymesh.discovery.MdnsBrowser;

/**
 * The coordinators an {@link MdnsBrowser} knows, as Hazelcast join candidates. The member's joiner asks when it
 * starts and again when it looks for split clusters to merge; its own address is dropped by Hazelcast.
 *
 * <p>On the first question, with nothing found yet, it waits up to {@link #FIRST_WAIT} for an answer: a joiner
 * that gets no candidates makes its member the master of a new cluster at once. The wait costs the first
 * coordinator of a mesh its length at start-up; an agent has already waited for a coordinator before its member
 * starts, so it does not wait here.
 */
public final class MdnsDiscoveryStrategy extends AbstractDiscoveryStrategy {
    /** Enough for a running coordinator to answer a new browser (measured: 50–320 ms on loopback). */
    public static final Duration FIRST_WAIT = Duration.ofSeconds(2);

    private final MdnsBrowser browser;
    private final AtomicBoolean firstQuestion = new AtomicBoolean(true);

    // The SPI's signature has the raw Comparable; we take no properties.
    @SuppressWarnings("rawtypes")
    MdnsDiscoveryStrategy(ILogger logger, Map<String, Comparable> properties, MdnsBrowser browser) {
        super(logger, properties);
        this.browser = browser;
    }

    @Override
    public Iterable<DiscoveryNode> discoverNodes() {
        List<FoundCoordinator> coordinators;
        if (firstQuestion.getAndSet(false)) {
            try {
                coordinators = browser.await(FIRST_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        } else {
            coordinators = browser.coordinators();
        }
        List<DiscoveryNode> nodes = new ArrayList<>(coordinators.size());
        for (FoundCoordinator coordinator : coordinators) {
            try {
                nodes.add(new SimpleDiscoveryNode(new Address(coordinator.host(), coordinator.port())));
            } catch (UnknownHostException e) {
                // The host is an IP address from an A/AAAA record, so this does not happen; skip it if it does.
                getLogger().warning("mdns: unusable coordinator address " + coordinator.hostPort());
            }
        }
        return nodes;
    }
}
