package org.planetarymesh.discovery.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import org.planetarymesh.discovery.MdnsBrowser;

/** Turns a member config from a static member list to discovery through mDNS. */
public final class MdnsDiscovery {
    /**
     * How often (seconds) a member asks discovery for clusters to merge with. Two coordinators started within a
     * few seconds of each other cannot see each other's adverts yet (a new mDNS host takes about 4 s to be
     * announced), so each may form its own cluster; Hazelcast's defaults (300 s, then 120 s) would keep them
     * apart for minutes.
     */
    static final String MERGE_DELAY_SECONDS = "15";

    private MdnsDiscovery() {
    }

    /**
     * Makes {@code config} join the coordinators {@code browser} finds: discovery SPI on, with our strategy;
     * TCP-IP join off (Hazelcast would prefer it) and multicast and auto-detection off (plain UDP outside TLS).
     */
    public static Config configure(Config config, MdnsBrowser browser) {
        config.setProperty(ClusterProperty.DISCOVERY_SPI_ENABLED.getName(), "true");
        config.setProperty(ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS.getName(), MERGE_DELAY_SECONDS);
        config.setProperty(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS.getName(), MERGE_DELAY_SECONDS);
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getTcpIpConfig().setEnabled(false).clear();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getDiscoveryConfig().getDiscoveryStrategyConfigs().clear();
        join.getDiscoveryConfig().addDiscoveryStrategyConfig(
                new DiscoveryStrategyConfig(new MdnsDiscoveryStrategyFactory(browser)));
        return config;
    }
}
